-- Roll back 0002_agent_squad: agent squad: per-dealership agent configuration and per-conversation routing analytics
DROP TABLE agent_squad_analytics;
DROP TABLE agent_squad_config;
