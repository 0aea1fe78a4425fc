-- A second tenant migration, added by RestartTest's second start only.
ALTER TABLE listings ADD COLUMN price numeric;
