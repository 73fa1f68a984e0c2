-- A file that grew is read on from its committed offset only when the bytes just before that offset
-- are still the ones committed: the hash of up to 1,024 bytes before it (the end of the last line
-- read) is kept beside the head's. A sync tool, a restore or an editor that rewrites a transcript
-- with another version of it, longer than the one read, changed those bytes; it was read as an
-- append from the old offset, in the middle of a line. NULL (files read before this version):
-- the next read stores it, and checks only the head as before.
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
ALTER TABLE source_file ADD COLUMN tail_fingerprint VARCHAR(64);
