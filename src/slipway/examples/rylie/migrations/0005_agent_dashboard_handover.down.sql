-- Roll back 0005_agent_dashboard_handover: agent dashboard and conversation handover: handovers between AI and agents, agent availability
DROP TABLE agent_statuses;
DROP TABLE handovers;
