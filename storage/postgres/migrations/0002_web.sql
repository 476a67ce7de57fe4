-- The dashboard on other machines (`main.py web`): values every process of the deployment shares (the dashboard's
-- signing secret), and the decisions posted there, carried out by the active bot, which writes back the outcome.

CREATE TABLE shared (name text PRIMARY KEY, value text NOT NULL);

CREATE TABLE web_actions (
    id bigserial PRIMARY KEY,
    plan text NOT NULL,
    fields jsonb NOT NULL,        -- the form as posted (checked again by the bot)
    actor jsonb NOT NULL,         -- who posted it: {"id", "name"}
    posted_at timestamptz NOT NULL DEFAULT now(),
    done_at timestamptz,
    outcome jsonb                 -- {"status", "page", "text"}: what the page says
);
CREATE INDEX web_actions_waiting ON web_actions (id) WHERE done_at IS NULL;
