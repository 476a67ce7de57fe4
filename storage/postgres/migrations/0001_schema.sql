-- 督办机器人: the store on PostgreSQL. Each record is the same JSON document the files backend keeps (storage.codec),
-- in `doc`, beside the columns that find it; `plan` is its plan's key ('' in a one-plan deployment). `seq` keeps the
-- order things came in, as the files' logs do.

CREATE TABLE bindings (respondent text PRIMARY KEY, seq bigserial, doc jsonb NOT NULL);
CREATE TABLE invites (code text PRIMARY KEY, seq bigserial, doc jsonb NOT NULL);
CREATE TABLE rounds (id text PRIMARY KEY, seq bigserial, plan text NOT NULL, opened_at timestamptz NOT NULL,
                     doc jsonb NOT NULL);

-- a round's log: reports (the latest per item), the audit trail, the ladder's steps, resolutions
CREATE TABLE reports (round_id text NOT NULL, measure integer NOT NULL, respondent text NOT NULL, seq bigserial,
                      doc jsonb NOT NULL, PRIMARY KEY (round_id, measure, respondent));
CREATE TABLE audit (seq bigserial PRIMARY KEY, log text, plan text NOT NULL, doc jsonb NOT NULL);  -- log: the round's id, NULL: the journal
CREATE INDEX audit_by_log ON audit (log, seq);
CREATE TABLE steps (round_id text NOT NULL, key text NOT NULL, seq bigserial, doc jsonb NOT NULL,
                    PRIMARY KEY (round_id, key));
CREATE TABLE escalated (round_id text NOT NULL, measure integer NOT NULL, respondent text NOT NULL, seq bigserial,
                        doc jsonb NOT NULL, PRIMARY KEY (round_id, measure, respondent));
CREATE TABLE resolutions (seq bigserial PRIMARY KEY, round_id text NOT NULL, doc jsonb NOT NULL);
CREATE INDEX resolutions_by_round ON resolutions (round_id, seq);

-- the live checklists and the notes awaited
CREATE TABLE prompts (id text PRIMARY KEY, seq bigserial, plan text NOT NULL, respondent text NOT NULL,
                      doc jsonb NOT NULL);
CREATE TABLE notes (chat_id text NOT NULL, message_id text NOT NULL, seq bigserial, plan text NOT NULL,
                    doc jsonb NOT NULL, PRIMARY KEY (chat_id, message_id));  -- ids as JSON text: 7 and "7" differ

-- lasting decisions, tickets, steps outside rounds
CREATE TABLE extensions (plan text NOT NULL, measure integer NOT NULL, respondent text NOT NULL, seq bigserial,
                         doc jsonb NOT NULL, PRIMARY KEY (plan, measure, respondent));
CREATE TABLE closures (plan text NOT NULL, measure integer NOT NULL, respondent text NOT NULL, seq bigserial,
                       doc jsonb NOT NULL, PRIMARY KEY (plan, measure, respondent));
CREATE TABLE interviews (plan text NOT NULL, respondent text NOT NULL, proposed_at timestamptz NOT NULL, seq bigserial,
                         doc jsonb NOT NULL, PRIMARY KEY (plan, respondent, proposed_at));
CREATE TABLE tickets (id text PRIMARY KEY, seq bigserial, plan text NOT NULL, round_id text NOT NULL, kind text NOT NULL,
                      doc jsonb NOT NULL);
CREATE TABLE lasting (key text PRIMARY KEY, seq bigserial, doc jsonb NOT NULL);

-- 佐证材料: the record, and the file itself (so that a standby on another machine has everything)
CREATE TABLE evidence (id text PRIMARY KEY, seq bigserial, plan text NOT NULL, at timestamptz NOT NULL,
                       doc jsonb NOT NULL, content bytea);

-- messages on their way out; counters; the messenger's updates already handled
CREATE TABLE outbox (key text PRIMARY KEY, seq bigserial, doc jsonb NOT NULL);
CREATE TABLE counters (name text PRIMARY KEY, seq bigserial, doc jsonb NOT NULL);
CREATE TABLE handled_updates (update_id bigint PRIMARY KEY, seq bigserial, doc jsonb NOT NULL);
