-- Roll back 0016_dual_mode_chat_setup: dual-mode chat setup: per-dealership chat widget settings
DROP TABLE chat_widget_settings;
