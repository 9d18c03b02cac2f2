-- Training jobs and the model versions they produce.
--
-- A job's status moves only along queued → running → completed | failed |
-- cancelled (running → queued to retry after a dead worker; queued →
-- failed | cancelled). The CHECK limits the values; the trigger refuses
-- illegal moves, mirroring scale.JobStatus.CanTransition, whatever the
-- client.

-- +goose Up
CREATE TABLE training_jobs (
    id           uuid        PRIMARY KEY,
    user_id      text        NOT NULL,
    status       text        NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    progress     integer     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    attempts     integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    metrics      jsonb,
    error        text        NOT NULL DEFAULT '',
    -- model_id is the version the job produced; kept as text with no foreign
    -- key so that pruning old versions never touches job history.
    model_id     text        NOT NULL DEFAULT '',
    force        boolean     NOT NULL DEFAULT false,
    heartbeat_at timestamptz,
    started_at   timestamptz,
    finished_at  timestamptz,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE INDEX idx_training_jobs_user_created ON training_jobs (user_id, created_at DESC, id DESC);
-- The reaper looks only at running jobs.
CREATE INDEX idx_training_jobs_running ON training_jobs (coalesce(heartbeat_at, started_at))
    WHERE status = 'running';
-- Housekeeping purges finished jobs by age.
CREATE INDEX idx_training_jobs_finished ON training_jobs (finished_at)
    WHERE status IN ('completed', 'failed', 'cancelled');

-- +goose StatementBegin
CREATE FUNCTION training_jobs_check_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
        (OLD.status = 'queued'  AND NEW.status IN ('running', 'cancelled', 'failed')) OR
        (OLD.status = 'running' AND NEW.status IN ('completed', 'failed', 'cancelled', 'queued'))
    ) THEN
        RAISE EXCEPTION 'a % job cannot become %', OLD.status, NEW.status
            USING ERRCODE = 'SC001', TABLE = 'training_jobs';
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER training_jobs_transition
    BEFORE UPDATE OF status ON training_jobs
    FOR EACH ROW EXECUTE FUNCTION training_jobs_check_transition();

CREATE TABLE model_versions (
    id         uuid        PRIMARY KEY,
    user_id    text        NOT NULL,
    version    integer     NOT NULL CHECK (version > 0),
    -- job_id names the job that trained it; no foreign key, because finished
    -- jobs are purged while their models live on.
    job_id     text,
    metrics    jsonb,
    artifact   bytea       NOT NULL DEFAULT '',
    active     boolean     NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    CONSTRAINT model_versions_user_version_key UNIQUE (user_id, version)
);

-- A retried job never publishes twice.
CREATE UNIQUE INDEX model_versions_user_job_key ON model_versions (user_id, job_id)
    WHERE job_id IS NOT NULL;
-- At most one active version per user.
CREATE UNIQUE INDEX model_versions_one_active ON model_versions (user_id) WHERE active;

-- +goose Down
DROP TABLE model_versions;
DROP TABLE training_jobs;
DROP FUNCTION training_jobs_check_transition();
