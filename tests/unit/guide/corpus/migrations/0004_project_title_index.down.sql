DROP INDEX CONCURRENTLY projects_title_idx;
