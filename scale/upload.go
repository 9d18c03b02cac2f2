package scale

import "time"

// UploadStatus is where an upload is in its life.
type UploadStatus string

// The upload statuses.
const (
	UploadProcessing UploadStatus = "processing"
	UploadCompleted  UploadStatus = "completed"
	UploadFailed     UploadStatus = "failed"
)

// ImportCounts counts what happened to the rows of one statement.
type ImportCounts struct {
	// Inserted rows are new and stored.
	Inserted int `json:"inserted"`
	// Duplicates were already stored, or repeated in the file by reference.
	Duplicates int `json:"duplicates"`
	// Rejected rows could not be read; each has a Rejection.
	Rejected int `json:"rejected"`
	// Skipped rows were read but deliberately not imported (pending,
	// reverted or cancelled).
	Skipped int `json:"skipped"`
}

// Rejection says why one line of a statement was not imported.
type Rejection struct {
	// Line is the 1-based line (CSV) or row (XLSX) number in the file.
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Upload records one uploaded statement file and the result of importing it.
type Upload struct {
	ID         UploadID
	User       UserID
	Account    AccountID
	FileName   string
	SHA256     string
	Size       int64
	Format     string
	Status     UploadStatus
	Counts     ImportCounts
	Rejections []Rejection
	// Error is the reason a failed upload failed, safe to show its owner.
	Error      string
	CreatedAt  time.Time
	FinishedAt *time.Time
}
