-- Search projects by title without blocking writes
CREATE INDEX CONCURRENTLY projects_title_idx ON projects (title);
