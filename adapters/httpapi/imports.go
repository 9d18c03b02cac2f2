package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
	"github.com/scalehq/scale/scale/ingestion"
)

// ImportCounts counts what happened to a statement's rows.
type ImportCounts struct {
	Inserted   int `json:"inserted" doc:"New transactions stored." example:"118"`
	Duplicates int `json:"duplicates" doc:"Rows already stored (overlapping statements) or repeated by bank reference." example:"12"`
	Rejected   int `json:"rejected" doc:"Rows that could not be read; each is listed in rejections." example:"1"`
	Skipped    int `json:"skipped" doc:"Rows deliberately not imported: pending, reverted or cancelled." example:"2"`
}

// ImportRejection says why one line was not imported.
type ImportRejection struct {
	Line   int    `json:"line" doc:"1-based line (CSV; OFX: the line of the transaction's <STMTTRN> tag) or row (XLSX) number in the file." example:"42"`
	Reason string `json:"reason" doc:"Why the line was rejected." example:"the date \"31/02/2026\" is not a calendar date"`
}

// Import is one uploaded statement and its result.
type Import struct {
	ID           string            `json:"id,omitempty" doc:"Upload id (absent on a dry run)." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8d"`
	Status       string            `json:"status" enum:"processing,completed,failed,dry_run" doc:"Where the import is." example:"completed"`
	AccountID    string            `json:"account_id" doc:"The account that received the rows." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"`
	FileName     string            `json:"file_name" doc:"The uploaded file's name." example:"statement-2026-03.csv"`
	SHA256       string            `json:"sha256,omitempty" doc:"SHA-256 of the file: the same file imports once." example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
	Size         int64             `json:"size" doc:"File size in bytes." example:"48213"`
	Format       string            `json:"format" doc:"Detected format." example:"csv"`
	Counts       ImportCounts      `json:"counts" doc:"What happened to the rows."`
	Rejections   []ImportRejection `json:"rejections" doc:"Every rejected line with its reason (the first ones, when there are very many)."`
	Error        string            `json:"error,omitempty" doc:"Why a failed import failed." example:"the file is not a bank statement"`
	Replayed     bool              `json:"replayed" doc:"True when this exact file was imported before: this is that import's result and nothing new was stored." example:"false"`
	CreatedAt    time.Time         `json:"created_at" doc:"When the upload was received." example:"2026-03-01T09:30:00Z"`
	FinishedAt   *time.Time        `json:"finished_at,omitempty" doc:"When the import finished." example:"2026-03-01T09:30:02Z"`
	Transactions []Transaction     `json:"transactions,omitempty" doc:"On a dry run: the transactions that would be imported (duplicates of stored rows left out)."`
	Truncated    bool              `json:"truncated,omitempty" doc:"On a dry run: the transactions list was cut." example:"false"`
}

func importOut(u scale.Upload) Import {
	out := Import{
		ID: string(u.ID), Status: string(u.Status), AccountID: string(u.Account), FileName: u.FileName, SHA256: u.SHA256,
		Size: u.Size, Format: u.Format, Error: u.Error, CreatedAt: u.CreatedAt, FinishedAt: u.FinishedAt,
		Counts: ImportCounts(u.Counts), Rejections: make([]ImportRejection, len(u.Rejections)),
	}
	for i, r := range u.Rejections {
		out.Rejections[i] = ImportRejection(r)
	}
	return out
}

// ImportOutput is the result of an upload.
type ImportOutput struct {
	Status int
	Body   Import
}

// ImportIDInput names an upload.
type ImportIDInput struct {
	ID string `path:"id" maxLength:"64" doc:"Upload id." example:"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8d"`
}

// ListImportsInput is a page request.
type ListImportsInput struct {
	Cursor string `query:"cursor" maxLength:"200" doc:"The next cursor of the previous page." example:"MjAyNi0wMy0wMVQwOTozMDowMFp8MDE5MGIzYTQtN2MxZS03ZDJhLTlmM2ItMmM0ZDVlNmY3YThk"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50" doc:"Page size." example:"50"`
}

// ImportPage is one page of uploads, newest first.
type ImportPage struct {
	Items []Import `json:"items" doc:"Uploads, newest first."`
	Next  string   `json:"next,omitempty" doc:"Cursor of the next page; absent on the last page." example:"MjAyNi0wMy0wMVQwOTozMDowMFp8MDE5MGIzYTQtN2MxZS03ZDJhLTlmM2ItMmM0ZDVlNmY3YThk"`
}

// ListImportsOutput lists uploads.
type ListImportsOutput struct {
	Body ImportPage
}

type rawRequestKey struct{}

// withRawRequest hands the operation the *http.Request, so it can stream a
// multipart body instead of letting the framework buffer it.
func withRawRequest(ctx huma.Context, next func(huma.Context)) {
	r, _ := humago.Unwrap(ctx)
	next(huma.WithValue(ctx, rawRequestKey{}, r))
}

func (h *handlers) registerImports(api huma.API) {
	fileSchema := &huma.Schema{
		Type: "object", Required: []string{"file"},
		Properties: map[string]*huma.Schema{
			"file":       {Type: "string", Format: "binary", Description: "The statement: CSV/TSV, XLSX (also password-protected) or OFX/QFX."},
			"account_id": {Type: "string", Description: "Account that receives the rows; the default account when absent.", Examples: []any{"0190b3a4-7c1e-7d2a-9f3b-2c4d5e6f7a8b"}},
			"password":   {Type: "string", Description: "Password of an encrypted XLSX workbook.", Examples: []any{"s3cret"}},
			"profile":    {Type: "string", Enum: profileNames(), Description: "A named column layout for files detection cannot read (headerless exports, month-first dates, card exports that write purchases positive).", Examples: []any{"headerless-date-desc-amount"}},
			"mapping":    {Type: "string", Description: "An explicit column mapping as JSON, e.g. {\"date\":\"Buchungstag\",\"amount\":\"Betrag\",\"description\":\"Verwendungszweck\"}.", Examples: []any{`{"date":"Datum","amount":"Betrag"}`}},
			"dry_run":    {Type: "boolean", Description: "Parse and report without storing anything: the counts (duplicates of stored rows included) and the rows an import would store.", Examples: []any{false}},
		},
	}
	register(h, api, huma.Operation{
		OperationID: "create-import", Method: http.MethodPost, Path: "/imports", DefaultStatus: http.StatusCreated,
		Summary: "Import a bank statement", Tags: []string{"Imports"},
		Description: "Upload one statement as `multipart/form-data`. The file is streamed (the size limit is enforced " +
			"while reading: 413 before the whole body is read), parsed, deduplicated against the stored rows, " +
			"categorized in batches and stored atomically: all valid rows or none. Answers 201 with the counts and " +
			"every rejected line; the same file again answers 200 with the earlier result and stores nothing; a dry " +
			"run answers 200 with what would be imported. A missing or wrong workbook password is 422 " +
			"(`ingestion.password_required`, `ingestion.password_invalid`).",
		Middlewares: huma.Middlewares{withRawRequest},
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity},
	}, h.createImport)
	// The body is streamed by the handler, not decoded by huma, so the
	// multipart form is documented on the registered operation afterwards.
	if p := api.OpenAPI().Paths["/api/v1/imports"]; p != nil && p.Post != nil {
		p.Post.RequestBody = &huma.RequestBody{Required: true, Description: "The statement and its options.",
			Content: map[string]*huma.MediaType{"multipart/form-data": {Schema: fileSchema}}}
	}
	register(h, api, huma.Operation{
		OperationID: "list-imports", Method: http.MethodGet, Path: "/imports",
		Summary: "List imports", Tags: []string{"Imports"},
		Description: "The caller's uploads, newest first, keyset-paginated.",
		Errors:      []int{http.StatusUnauthorized, http.StatusUnprocessableEntity},
	}, h.listImports)
	register(h, api, huma.Operation{
		OperationID: "get-import", Method: http.MethodGet, Path: "/imports/{id}",
		Summary: "Get an import", Tags: []string{"Imports"},
		Description: "One upload with its status, counts and rejected lines.",
		Errors:      []int{http.StatusUnauthorized, http.StatusNotFound},
	}, func(ctx context.Context, in *ImportIDInput) (*ImportOutput, error) {
		if !scale.ValidID(in.ID) {
			return nil, problem(ctx, h.log, scale.NotFound(scale.CodeNotFound, "import not found"))
		}
		u, err := h.s.Ingestion.GetUpload(ctx, userOf(ctx), scale.UploadID(in.ID))
		if err != nil {
			return nil, problem(ctx, h.log, err)
		}
		return &ImportOutput{Status: http.StatusOK, Body: importOut(u)}, nil
	})
}

// maxFormField bounds a non-file form field.
const maxFormField = 64 << 10

func (h *handlers) createImport(ctx context.Context, _ *struct{}) (*ImportOutput, error) {
	r, _ := ctx.Value(rawRequestKey{}).(*http.Request)
	if r == nil {
		return nil, problem(ctx, h.log, errors.New("import: no raw request"))
	}
	req, cleanup, err := h.readImportForm(r)
	defer cleanup()
	if err != nil {
		return nil, problem(ctx, h.log, err)
	}
	req.User = userOf(ctx)
	res, err := h.s.Import(ctx, req)
	if err != nil {
		return nil, problem(ctx, h.log, err)
	}
	out := &ImportOutput{Status: http.StatusCreated, Body: importOut(res.Upload)}
	out.Body.Replayed = res.Replayed
	switch {
	case req.DryRun:
		out.Status, out.Body.Status, out.Body.Truncated = http.StatusOK, "dry_run", res.Truncated
		out.Body.Transactions = make([]Transaction, len(res.Transactions))
		for i, t := range res.Transactions {
			out.Body.Transactions[i] = transactionOut(t)
		}
	case res.Replayed:
		out.Status = http.StatusOK
	}
	return out, nil
}

// readImportForm streams the multipart body: small fields are read into
// memory (bounded), the file part is spooled to a temporary file so the form
// fields may come before or after it. The size limit is the request's
// MaxBytesReader: exceeding it is 413.
func (h *handlers) readImportForm(r *http.Request) (ingestion.Request, func(), error) {
	var req ingestion.Request
	var spool *os.File
	cleanup := func() {
		if spool != nil {
			_ = spool.Close()
			_ = os.Remove(spool.Name())
		}
	}
	invalid := func(field, msg string) error {
		return scale.InvalidFields("ingestion.form_invalid", "The upload form is not valid.", scale.FieldError{Field: "body." + field, Message: msg})
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "multipart/form-data" {
		return req, cleanup, invalid("file", "send the statement as multipart/form-data with a part named file")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return req, cleanup, invalid("file", "the multipart body cannot be read")
	}
	var mapping string
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return req, cleanup, readErr(err)
		}
		name := part.FormName()
		if name == "file" {
			if spool != nil {
				return req, cleanup, invalid("file", "send exactly one file per import")
			}
			spool, err = os.CreateTemp("", "scale-form-*")
			if err != nil {
				return req, cleanup, scale.Internal(err, "ingestion.spool")
			}
			if _, err := io.Copy(spool, part); err != nil {
				return req, cleanup, readErr(err)
			}
			if _, err := spool.Seek(0, io.SeekStart); err != nil {
				return req, cleanup, scale.Internal(err, "ingestion.spool")
			}
			req.FileName = cleanFileName(part.FileName())
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
		if err != nil {
			return req, cleanup, readErr(err)
		}
		if len(b) > maxFormField {
			return req, cleanup, invalid(name, "is too long")
		}
		v := string(b)
		switch name {
		case "account_id":
			req.Account = scale.AccountID(strings.TrimSpace(v))
		case "password":
			req.Password = v
		case "profile":
			req.Profile = strings.TrimSpace(v)
		case "mapping":
			mapping = v
		case "dry_run":
			d, err := strconv.ParseBool(strings.TrimSpace(v))
			if err != nil {
				return req, cleanup, invalid("dry_run", "must be true or false")
			}
			req.DryRun = d
		default:
			return req, cleanup, invalid(name, "is not a field of this form")
		}
	}
	if spool == nil {
		return req, cleanup, invalid("file", "is required")
	}
	if mapping != "" {
		var m ingestion.Mapping
		dec := json.NewDecoder(strings.NewReader(mapping))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&m); err != nil {
			return req, cleanup, invalid("mapping", "must be a JSON column mapping")
		}
		req.Mapping = &m
	}
	if req.Account != "" && !scale.ValidID(string(req.Account)) {
		return req, cleanup, scale.NotFound(scale.CodeNotFound, "account not found")
	}
	req.Body = spool
	return req, cleanup, nil
}

func readErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return scale.E(scale.KindTooLarge, "ingestion.file_too_large", "the upload is larger than the limit of %d bytes", mbe.Limit)
	}
	return scale.Wrap(err, scale.KindInvalid, "ingestion.form_invalid", "the upload was cut off or is not valid multipart")
}

// cleanFileName keeps the base name, printable and bounded.
func cleanFileName(n string) string {
	if i := strings.LastIndexAny(n, `/\`); i >= 0 {
		n = n[i+1:]
	}
	n = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x202a && r <= 0x202e) {
			return -1
		}
		return r
	}, n)
	if len(n) > 255 {
		n = n[:255]
	}
	if n == "" {
		n = "statement"
	}
	return n
}

func (h *handlers) listImports(ctx context.Context, in *ListImportsInput) (*ListImportsOutput, error) {
	var after *ports.UploadCursor
	if in.Cursor != "" {
		c, err := decodeUploadCursor(in.Cursor)
		if err != nil {
			return nil, problem(ctx, h.log, scale.InvalidFields(scale.CodeCursorInvalid, "The listing parameters are not valid.",
				scale.FieldError{Field: "query.cursor", Message: "is not a cursor of this listing"}))
		}
		after = &c
	}
	us, next, err := h.s.Ingestion.ListUploads(ctx, userOf(ctx), in.Limit, after)
	if err != nil {
		return nil, problem(ctx, h.log, err)
	}
	out := &ListImportsOutput{}
	out.Body.Items = make([]Import, len(us))
	for i, u := range us {
		out.Body.Items[i] = importOut(u)
	}
	if next != nil {
		out.Body.Next = encodeUploadCursor(*next)
	}
	return out, nil
}

func encodeUploadCursor(c ports.UploadCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(c.CreatedAt.UTC().Format(time.RFC3339Nano) + "|" + string(c.ID)))
}

func decodeUploadCursor(s string) (ports.UploadCursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return ports.UploadCursor{}, err
	}
	ts, id, ok := strings.Cut(string(b), "|")
	t, err := time.Parse(time.RFC3339Nano, ts)
	if !ok || err != nil || !scale.ValidID(id) {
		return ports.UploadCursor{}, errors.New("bad cursor")
	}
	return ports.UploadCursor{CreatedAt: t, ID: scale.UploadID(id)}, nil
}

// profileNames lists the built-in import profiles for the schema.
func profileNames() []any {
	var out []any
	for _, n := range ingestion.Profiles() {
		out = append(out, n)
	}
	return out
}
