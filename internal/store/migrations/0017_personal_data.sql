-- Personal-data rights (UU 27/2022). A person's list of who read their
-- data (/akun/akses) finds the audit entries about their records by
-- entity and id; erasing an account deletes an uploaded file only when no
-- other record still uses its content, which is looked up by address
-- (0016 indexed the uploads' and photos' addresses already).
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, seq);
CREATE INDEX documents_blob ON documents (blob);
