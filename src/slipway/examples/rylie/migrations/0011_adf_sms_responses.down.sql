-- Roll back 0011_adf_sms_responses: aDF SMS responses: the automatic text reply sent to each ADF lead and its delivery status
DROP TABLE adf_sms_responses;
