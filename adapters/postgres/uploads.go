package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

const uploadColumns = `id::text, user_id, coalesce(account_id::text, ''), file_name, sha256, size_bytes, format, status,
	inserted, duplicates, rejected, skipped, rejections, error, created_at, finished_at`

func scanUpload(row pgx.Row) (scale.Upload, error) {
	var (
		u   scale.Upload
		rej []byte
	)
	err := row.Scan(&u.ID, &u.User, &u.Account, &u.FileName, &u.SHA256, &u.Size, &u.Format, &u.Status,
		&u.Counts.Inserted, &u.Counts.Duplicates, &u.Counts.Rejected, &u.Counts.Skipped, &rej, &u.Error,
		&u.CreatedAt, &u.FinishedAt)
	u.Rejections, u.CreatedAt, u.FinishedAt = unmarshalRejections(rej), utc(u.CreatedAt), utcPtr(u.FinishedAt)
	return u, err
}

func validUpload(u scale.Upload) error {
	if !scale.ValidID(string(u.ID)) {
		return scale.Invalid(scale.CodeInvalid, "the upload id is not valid")
	}
	if u.Account != "" && !scale.ValidID(string(u.Account)) {
		return scale.InvalidFields(scale.CodeInvalid, "The upload is not valid.",
			scale.FieldError{Field: "account_id", Message: "is not a valid id"})
	}
	return nil
}

// CreateUpload implements ports.UploadStore. The same content (SHA256)
// uploaded twice by one user is KindConflict with code
// ingestion.duplicate_file.
func (s *Store) CreateUpload(ctx context.Context, u scale.Upload) error {
	if err := validUpload(u); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO uploaded_files (id, user_id, account_id, file_name, sha256, size_bytes, format, status,
			inserted, duplicates, rejected, skipped, rejections, error, created_at, finished_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		u.ID, u.User, nullID(u.Account), u.FileName, u.SHA256, u.Size, u.Format, string(u.Status),
		u.Counts.Inserted, u.Counts.Duplicates, u.Counts.Rejected, u.Counts.Skipped,
		rejectionsJSON(u.Rejections), u.Error, utc(u.CreatedAt), utcPtr(u.FinishedAt))
	return mapError(err, "upload")
}

// GetUpload implements ports.UploadStore.
func (s *Store) GetUpload(ctx context.Context, user scale.UserID, id scale.UploadID) (scale.Upload, error) {
	if !scale.ValidID(string(id)) {
		return scale.Upload{}, notFound("upload")
	}
	return s.getUpload(ctx, `id = $2`, user, string(id))
}

// FindUploadBySHA256 implements ports.UploadStore.
func (s *Store) FindUploadBySHA256(ctx context.Context, user scale.UserID, sha256 string) (scale.Upload, error) {
	return s.getUpload(ctx, `sha256 = $2`, user, sha256)
}

func (s *Store) getUpload(ctx context.Context, cond string, user scale.UserID, key string) (scale.Upload, error) {
	var u scale.Upload
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		u, err = scanUpload(s.pool.QueryRow(ctx,
			`SELECT `+uploadColumns+` FROM uploaded_files WHERE user_id = $1 AND `+cond, user, key))
		return err
	})
	return u, mapError(err, "upload")
}

// ListUploads implements ports.UploadStore, newest first, by keyset on
// (created_at, id).
func (s *Store) ListUploads(ctx context.Context, user scale.UserID, limit int, after *ports.UploadCursor) ([]scale.Upload, *ports.UploadCursor, error) {
	limit = pageSize(limit)
	args := []any{user, limit + 1}
	cond := ""
	if after != nil {
		if !scale.ValidID(string(after.ID)) {
			return nil, nil, scale.Invalid(scale.CodeCursorInvalid, "the page cursor is not valid")
		}
		cond = ` AND (created_at, id) < ($3, $4::uuid)`
		args = append(args, utc(after.CreatedAt), string(after.ID))
	}
	sql := `SELECT ` + uploadColumns + ` FROM uploaded_files WHERE user_id = $1` + cond +
		` ORDER BY created_at DESC, id DESC LIMIT $2`
	var out []scale.Upload
	err := retry(ctx, func(ctx context.Context) error {
		rows, err := s.pool.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (scale.Upload, error) { return scanUpload(r) })
		return err
	})
	if err != nil {
		return nil, nil, mapError(err, "upload")
	}
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		return out, &ports.UploadCursor{CreatedAt: last.CreatedAt, ID: last.ID}, nil
	}
	return out, nil, nil
}

// UpdateUpload implements ports.UploadStore.
func (s *Store) UpdateUpload(ctx context.Context, u scale.Upload) error {
	if !scale.ValidID(string(u.ID)) {
		return notFound("upload")
	}
	if err := validUpload(u); err != nil {
		return err
	}
	var n int64
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		n, err = updateUpload(ctx, s.pool, u)
		return err
	})
	if err != nil {
		return mapError(err, "upload")
	}
	if n == 0 {
		return notFound("upload")
	}
	return nil
}

// updateUpload saves the mutable fields of u if u.User owns it, returning
// how many rows changed (0 or 1).
func updateUpload(ctx context.Context, q querier, u scale.Upload) (int64, error) {
	ct, err := q.Exec(ctx, `
		UPDATE uploaded_files
		SET account_id = $3, status = $4, inserted = $5, duplicates = $6, rejected = $7, skipped = $8,
			rejections = $9, error = $10, finished_at = $11, format = $12
		WHERE id = $1 AND user_id = $2`,
		u.ID, u.User, nullID(u.Account), string(u.Status),
		u.Counts.Inserted, u.Counts.Duplicates, u.Counts.Rejected, u.Counts.Skipped,
		rejectionsJSON(u.Rejections), u.Error, utcPtr(u.FinishedAt), u.Format)
	return ct.RowsAffected(), err
}
