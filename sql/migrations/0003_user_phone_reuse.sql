-- 0003_user_phone_reuse: a removed (soft-deleted) user's phone number may sign up or be added again.
DROP INDEX users_phone_key;
CREATE UNIQUE INDEX users_phone_key ON users (phone) WHERE deleted_at IS NULL;
