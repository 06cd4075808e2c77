-- Roll back 0006_jwt_tokens_prompt_templates: jWT token tracking and lead-source prompt templates
DROP TABLE lead_source_prompt_templates;
DROP TABLE jwt_tokens;
