package anomaly

import (
	"context"
	"encoding/json"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

// JobScan is the queue job type of a scan.
const JobScan = "anomaly.scan"

// ScanPayload is the JSON payload of a JobScan job.
type ScanPayload struct {
	User scale.UserID `json:"user"`
	// Upload is the import that triggered the scan, if any.
	Upload scale.UploadID `json:"upload,omitempty"`
}

// NewScanJob returns the job that scans user's history. Its idempotency key
// names the upload, so one import enqueues one scan; without an upload the
// key is per user, so repeated on-demand requests collapse while one is
// pending.
func NewScanJob(p ScanPayload) (ports.Job, error) {
	if p.User == "" {
		return ports.Job{}, scale.InvalidFields(CodeInvalidPayload, "The scan job is not valid.", scale.FieldError{Field: "user", Message: "is required"})
	}
	b, err := json.Marshal(p)
	if err != nil {
		return ports.Job{}, scale.Internal(err, CodeInvalidPayload)
	}
	key := JobScan + ":" + string(p.User)
	if p.Upload != "" {
		key += ":" + string(p.Upload)
	}
	return ports.Job{Type: JobScan, Key: key, Payload: b}, nil
}

// HandleScan is the ports.JobHandler of JobScan. A payload that cannot be
// read is KindInvalid (not retried); store failures keep their kind.
func (s *Service) HandleScan(ctx context.Context, job ports.Job, attempt int) error {
	var p ScanPayload
	if err := json.Unmarshal(job.Payload, &p); err != nil {
		return scale.Wrap(err, scale.KindInvalid, CodeInvalidPayload, "The scan job payload is not valid JSON.")
	}
	if p.User == "" {
		return scale.InvalidFields(CodeInvalidPayload, "The scan job is not valid.", scale.FieldError{Field: "user", Message: "is required"})
	}
	_, err := s.Scan(ctx, p.User)
	return err
}
