-- Roll back 0010_adf_lead_ingestion: aDF lead ingestion: raw and parsed ADF/XML leads with deduplication and a processing log
DROP TABLE adf_processing_logs;
DROP TABLE adf_leads;
