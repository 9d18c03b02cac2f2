package sdk

import (
	"context"

	"github.com/scalehq/scale/scale/anomaly"
	"github.com/scalehq/scale/scale/ingestion"
)

// Import imports one statement (see ingestion.Service.Import) and, when it
// stored new rows, queues an anomaly scan of the user's history as a job.
// A failure to queue the scan is logged, never the import's failure: the
// rows are already stored and a later scan finds them.
func (s *Scale) Import(ctx context.Context, req ingestion.Request) (ingestion.Result, error) {
	res, err := s.Ingestion.Import(ctx, req)
	if err != nil || req.DryRun || res.Replayed || res.Upload.Counts.Inserted == 0 {
		return res, err
	}
	job, jerr := anomaly.NewScanJob(anomaly.ScanPayload{User: req.User, Upload: res.Upload.ID})
	if jerr == nil {
		jerr = s.ports.Queue.Enqueue(ctx, job)
	}
	if jerr != nil {
		s.log.WarnContext(ctx, "could not queue the anomaly scan after an import", "upload", res.Upload.ID, "err", jerr)
	}
	return res, nil
}
