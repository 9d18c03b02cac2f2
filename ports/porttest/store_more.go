package porttest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/scalehq/scale/ports"
	"github.com/scalehq/scale/scale"
)

func testImports(t *testing.T, newStore StoreFactory) {
	t.Run("unique_fingerprints_promise", func(t *testing.T) {
		// With the importer's promise of unique fingerprints a store may
		// skip looking for duplicates in an account that holds nothing;
		// the results must be the same: every row once, and an import
		// into an account that holds rows still finds the duplicates.
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "promise")
		a := seedAccount(t, s, u)
		rows := make([]scale.Transaction, 1300)
		for i := range rows {
			rows[i] = tx(u, a.ID, i%60, -int64(i+1), fmt.Sprintf("row %d", i))
		}
		run := func(sha string, batch []scale.Transaction) (inserted, dups int) {
			up := upload(u, a.ID, sha)
			must(t, s.CreateUpload(ctx, up), "CreateUpload")
			itx, err := s.BeginImport(ctx, u, ports.ImportOptions{UniqueFingerprints: true})
			must(t, err, "BeginImport")
			for start := 0; start < len(batch); start += 1000 {
				res, err := itx.Insert(ctx, batch[start:min(start+1000, len(batch))])
				must(t, err, "Insert")
				inserted += len(res.Inserted)
				dups += len(res.Duplicates)
			}
			up.Status = scale.UploadCompleted
			must(t, itx.Commit(ctx, up), "Commit")
			return inserted, dups
		}
		if ins, dups := run("sha-promise-1", rows[:1200]); ins != 1200 || dups != 0 {
			t.Fatalf("first import: %d inserted, %d duplicates; want 1200, 0", ins, dups)
		}
		again := make([]scale.Transaction, 0, 200)
		for _, r := range rows[1100:1300] {
			r.ID = scale.TransactionID(scale.NewID())
			again = append(again, r)
		}
		if ins, dups := run("sha-promise-2", again); ins != 100 || dups != 100 {
			t.Fatalf("overlapping import: %d inserted, %d duplicates; want 100, 100", ins, dups)
		}
		fps := make([]string, len(rows))
		for i, r := range rows {
			fps[i] = r.Fingerprint
		}
		have, err := s.ExistingFingerprints(ctx, u, fps)
		must(t, err, "ExistingFingerprints")
		if len(have) != 1300 {
			t.Fatalf("%d rows stored, want 1300", len(have))
		}
	})
	t.Run("overlapping_inserts", func(t *testing.T) {
		// An importer may call Insert again before the previous call has
		// returned; every row is stored exactly once and a row repeated
		// across the overlapping batches counts once as a duplicate.
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "i")
		a := seedAccount(t, s, u)
		up := upload(u, a.ID, "sha-overlap")
		must(t, s.CreateUpload(ctx, up), "CreateUpload")
		itx, err := s.BeginImport(ctx, u, ports.ImportOptions{})
		must(t, err, "BeginImport")
		const batches, size = 6, 50
		all := make([][]scale.Transaction, batches)
		for b := range all {
			for i := range size {
				all[b] = append(all[b], tx(u, a.ID, b*size+i, -int64(b*size+i+1), fmt.Sprintf("row %d", b*size+i)))
			}
		}
		repeat := all[0][0]
		repeat.ID = scale.TransactionID(scale.NewID())
		all[batches-1] = append(all[batches-1], repeat)
		results := make([]ports.InsertResult, batches)
		errs := make([]error, batches)
		var wg sync.WaitGroup
		for b := range all {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[b], errs[b] = itx.Insert(ctx, all[b])
			}()
		}
		wg.Wait()
		inserted, dups := 0, 0
		for b := range all {
			must(t, errs[b], "Insert")
			inserted += len(results[b].Inserted)
			dups += len(results[b].Duplicates)
		}
		if inserted != batches*size || dups != 1 {
			t.Fatalf("overlapping inserts: %d inserted, %d duplicates; want %d and 1", inserted, dups, batches*size)
		}
		up.Status = scale.UploadCompleted
		must(t, itx.Commit(ctx, up), "Commit")
		page, err := s.ListTransactions(ctx, u, ports.TransactionQuery{Limit: ports.MaxPageSize})
		must(t, err, "ListTransactions")
		if len(page.Items) != batches*size {
			t.Fatalf("%d rows stored, want %d", len(page.Items), batches*size)
		}
	})
	t.Run("commit_is_atomic_and_saves_upload", func(t *testing.T) {
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "i")
		a := seedAccount(t, s, u)
		up := upload(u, a.ID, "sha-commit")
		must(t, s.CreateUpload(ctx, up), "CreateUpload")
		existing := tx(u, a.ID, 0, -100, "existing")
		_, err := s.InsertTransactions(ctx, u, []scale.Transaction{existing})
		must(t, err, "seed")

		itx, err := s.BeginImport(ctx, u, ports.ImportOptions{})
		must(t, err, "BeginImport")
		b1 := []scale.Transaction{tx(u, a.ID, 1, -200, "one"), tx(u, a.ID, 2, -300, "two")}
		dupOfExisting := existing
		dupOfExisting.ID = scale.TransactionID(scale.NewID())
		dupOfB1 := b1[0]
		dupOfB1.ID = scale.TransactionID(scale.NewID())
		b2 := []scale.Transaction{dupOfExisting, dupOfB1, tx(u, a.ID, 3, 400, "three")}
		r1, err := itx.Insert(ctx, b1)
		must(t, err, "Insert batch 1")
		r2, err := itx.Insert(ctx, b2)
		must(t, err, "Insert batch 2")
		if len(r1.Inserted) != 2 || !slices.Equal(r2.Inserted, []int{2}) || !slices.Equal(r2.Duplicates, []int{0, 1}) {
			t.Fatalf("results %+v %+v, want 2 inserted then [2] inserted with [0 1] duplicates", r1, r2)
		}
		// Nothing is visible before Commit.
		_, err = s.GetTransaction(ctx, u, b1[0].ID)
		wantKind(t, err, scale.KindNotFound, "row visible before Commit")
		done := baseTime.Add(time.Minute)
		up.Status, up.Counts, up.FinishedAt = scale.UploadCompleted, scale.ImportCounts{Inserted: 3, Duplicates: 2}, &done
		up.Rejections = []scale.Rejection{{Line: 7, Reason: "bad date"}}
		must(t, itx.Commit(ctx, up), "Commit")
		must(t, itx.Rollback(ctx), "Rollback after Commit is a no-op")
		for _, x := range append(b1, b2[2]) {
			if _, err := s.GetTransaction(ctx, u, x.ID); err != nil {
				t.Fatalf("committed row %s missing: %v", x.ID, err)
			}
		}
		got, err := s.GetUpload(ctx, u, up.ID)
		must(t, err, "GetUpload")
		if got.Status != scale.UploadCompleted || got.Counts != up.Counts || len(got.Rejections) != 1 ||
			got.Rejections[0] != up.Rejections[0] || got.FinishedAt == nil {
			t.Fatalf("upload after Commit = %+v", got)
		}
	})
	t.Run("rollback_leaves_nothing", func(t *testing.T) {
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "i")
		a := seedAccount(t, s, u)
		up := upload(u, a.ID, "sha-rollback")
		must(t, s.CreateUpload(ctx, up), "CreateUpload")
		itx, err := s.BeginImport(ctx, u, ports.ImportOptions{})
		must(t, err, "BeginImport")
		x := tx(u, a.ID, 1, -200, "one")
		_, err = itx.Insert(ctx, []scale.Transaction{x})
		must(t, err, "Insert")
		must(t, itx.Rollback(ctx), "Rollback")
		_, err = s.GetTransaction(ctx, u, x.ID)
		wantKind(t, err, scale.KindNotFound, "row after Rollback")
		// The same row can be imported again afterwards.
		res, err := s.InsertTransactions(ctx, u, []scale.Transaction{x})
		must(t, err, "insert after rollback")
		if len(res.Inserted) != 1 {
			t.Fatalf("after rollback the fingerprint must be free: %+v", res)
		}
		got, _ := s.GetUpload(ctx, u, up.ID)
		if got.Status != scale.UploadProcessing {
			t.Fatalf("upload status after rollback = %s, want processing", got.Status)
		}
	})
	t.Run("invalid_row_fails_insert", func(t *testing.T) {
		s, ctx := newStore(t), ctxOf(t)
		u := user(t, "i")
		a := seedAccount(t, s, u)
		itx, err := s.BeginImport(ctx, u, ports.ImportOptions{})
		must(t, err, "BeginImport")
		defer itx.Rollback(ctx)
		_, err = itx.Insert(ctx, []scale.Transaction{tx(u, a.ID, 1, 0, "zero")})
		wantKind(t, err, scale.KindInvalid, "zero amount in an import")
	})
}

func testUploads(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	u := user(t, "u")
	a := seedAccount(t, s, u)
	var made []scale.Upload
	for i := range 5 {
		up := upload(u, a.ID, fmt.Sprintf("sha-%d", i))
		up.CreatedAt = baseTime.Add(time.Duration(i) * time.Minute)
		must(t, s.CreateUpload(ctx, up), "CreateUpload")
		made = append(made, up)
	}
	dup := upload(u, a.ID, "sha-2")
	wantKind(t, s.CreateUpload(ctx, dup), scale.KindConflict, "same sha256 twice")
	got, err := s.FindUploadBySHA256(ctx, u, "sha-3")
	must(t, err, "FindUploadBySHA256")
	if got.ID != made[3].ID || got.FileName != "statement.csv" || got.Size != 1234 || got.Format != "csv" {
		t.Fatalf("FindUploadBySHA256 = %+v", got)
	}
	_, err = s.FindUploadBySHA256(ctx, u, "nope")
	wantKind(t, err, scale.KindNotFound, "unknown sha")
	var seen []scale.UploadID
	var cur *ports.UploadCursor
	for range 10 {
		page, next, err := s.ListUploads(ctx, u, 2, cur)
		must(t, err, "ListUploads")
		for _, p := range page {
			seen = append(seen, p.ID)
		}
		if next == nil {
			break
		}
		cur = next
	}
	want := []scale.UploadID{made[4].ID, made[3].ID, made[2].ID, made[1].ID, made[0].ID}
	if !slices.Equal(seen, want) {
		t.Fatalf("ListUploads newest first = %v, want %v", seen, want)
	}
	fin := baseTime.Add(time.Hour)
	up := made[0]
	up.Status, up.Error, up.FinishedAt = scale.UploadFailed, "the file is not a statement", &fin
	must(t, s.UpdateUpload(ctx, up), "UpdateUpload")
	got, _ = s.GetUpload(ctx, u, up.ID)
	if got.Status != scale.UploadFailed || got.Error != up.Error || got.FinishedAt == nil || !equalTime(*got.FinishedAt, fin) {
		t.Fatalf("after UpdateUpload: %+v", got)
	}
}

func testCategories(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	u := user(t, "c")
	c1 := scale.Category{ID: scale.CategoryID(scale.NewID()), User: u, Name: "Pets", CreatedAt: baseTime}
	c2 := scale.Category{ID: scale.CategoryID(scale.NewID()), User: u, Name: "Garden", CreatedAt: baseTime.Add(time.Second)}
	must(t, s.CreateCategory(ctx, c1), "CreateCategory")
	must(t, s.CreateCategory(ctx, c2), "CreateCategory 2")
	same := scale.Category{ID: scale.CategoryID(scale.NewID()), User: u, Name: "pets", CreatedAt: baseTime}
	wantKind(t, s.CreateCategory(ctx, same), scale.KindConflict, "a name the user already has")
	list, err := s.ListCategories(ctx, u)
	must(t, err, "ListCategories")
	if len(list) != 2 || list[0].Name != "Pets" || list[1].Name != "Garden" {
		t.Fatalf("ListCategories = %+v", list)
	}
	c1.Name = "Animals"
	must(t, s.UpdateCategory(ctx, c1), "UpdateCategory")
	c2.Name = "animals"
	wantKind(t, s.UpdateCategory(ctx, c2), scale.KindConflict, "rename onto an existing name")
	must(t, s.PutCorrection(ctx, ports.Correction{User: u, Key: "vet", Category: c2.ID, UpdatedAt: baseTime}), "PutCorrection")
	must(t, s.PutCorrection(ctx, ports.Correction{User: u, Key: "zoo", Category: c1.ID, UpdatedAt: baseTime}), "PutCorrection")
	must(t, s.DeleteCategory(ctx, u, c2.ID), "DeleteCategory")
	wantKind(t, s.DeleteCategory(ctx, u, c2.ID), scale.KindNotFound, "DeleteCategory twice")
	left, err := s.ListCorrections(ctx, u)
	must(t, err, "ListCorrections")
	if len(left) != 1 || left[0].Key != "zoo" {
		t.Fatalf("corrections after deleting their category = %+v, want only zoo", left)
	}

	r1 := scale.Rule{ID: scale.RuleID(scale.NewID()), User: u, Category: "food", Field: scale.FieldMerchant,
		Match: scale.MatchContains, Pattern: "bakery", Priority: 5, CreatedAt: baseTime, UpdatedAt: baseTime}
	r2 := scale.Rule{ID: scale.RuleID(scale.NewID()), User: u, Category: "transport", Field: scale.FieldAny,
		Match: scale.MatchRegex, Pattern: "^uber", MinAmount: ptr[int64](-5000), MaxAmount: ptr[int64](0),
		Account: "acct", Priority: 1, CreatedAt: baseTime, UpdatedAt: baseTime}
	must(t, s.CreateRule(ctx, r1), "CreateRule")
	must(t, s.CreateRule(ctx, r2), "CreateRule 2")
	rules, err := s.ListRules(ctx, u)
	must(t, err, "ListRules")
	if len(rules) != 2 || rules[0].ID != r2.ID || rules[1].ID != r1.ID {
		t.Fatalf("ListRules by priority = %+v", rules)
	}
	if *rules[0].MinAmount != -5000 || *rules[0].MaxAmount != 0 || rules[0].Account != "acct" || rules[0].Pattern != "^uber" {
		t.Fatalf("rule round trip = %+v", rules[0])
	}
	r1.Pattern, r1.Priority = "bakery shop", 0
	must(t, s.UpdateRule(ctx, r1), "UpdateRule")
	got, err := s.GetRule(ctx, u, r1.ID)
	must(t, err, "GetRule")
	if got.Pattern != "bakery shop" || got.Priority != 0 || got.MinAmount != nil {
		t.Fatalf("after UpdateRule: %+v", got)
	}
	must(t, s.DeleteRule(ctx, u, r1.ID), "DeleteRule")
	_, err = s.GetRule(ctx, u, r1.ID)
	wantKind(t, err, scale.KindNotFound, "GetRule after delete")

	must(t, s.PutCorrection(ctx, ports.Correction{User: u, Key: "netflix", Category: "misc", UpdatedAt: baseTime}), "PutCorrection")
	must(t, s.PutCorrection(ctx, ports.Correction{User: u, Key: "netflix", Category: "entertainment", UpdatedAt: baseTime}), "PutCorrection again")
	must(t, s.PutCorrection(ctx, ports.Correction{User: u, Key: "aldi", Category: "food", UpdatedAt: baseTime}), "PutCorrection 2")
	cs, err := s.ListCorrections(ctx, u)
	must(t, err, "ListCorrections")
	if len(cs) != 3 || cs[0].Key != "aldi" || cs[1].Key != "netflix" || cs[1].Category != "entertainment" || cs[2].Key != "zoo" {
		t.Fatalf("ListCorrections = %+v", cs)
	}
}

func testJobs(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	u := user(t, "j")
	j := scale.TrainingJob{ID: scale.JobID(scale.NewID()), User: u, Status: scale.JobQueued, CreatedAt: baseTime, UpdatedAt: baseTime}
	must(t, s.CreateJob(ctx, j), "CreateJob")
	wantKind(t, s.CreateJob(ctx, j), scale.KindConflict, "CreateJob twice")

	started := baseTime.Add(time.Second)
	run := j
	run.Status, run.StartedAt, run.HeartbeatAt, run.Attempts = scale.JobRunning, &started, &started, 1
	must(t, s.TransitionJob(ctx, run, scale.JobQueued), "queued → running")
	wantKind(t, s.TransitionJob(ctx, run, scale.JobQueued), scale.KindConflict, "claiming twice")
	must(t, s.HeartbeatJob(ctx, u, j.ID, 40, started.Add(time.Second)), "HeartbeatJob")
	got, _ := s.GetJob(ctx, u, j.ID)
	if got.Progress != 40 || got.Status != scale.JobRunning || got.Attempts != 1 {
		t.Fatalf("after heartbeat: %+v", got)
	}
	stale, err := s.StaleJobs(ctx, started.Add(time.Minute))
	must(t, err, "StaleJobs")
	if len(stale) != 1 || stale[0].ID != j.ID {
		t.Fatalf("StaleJobs = %+v, want the running job", stale)
	}
	stale, _ = s.StaleJobs(ctx, started)
	if len(stale) != 0 {
		t.Fatalf("StaleJobs before the heartbeat = %+v, want none", stale)
	}
	fin := started.Add(time.Minute)
	done := got
	done.Status, done.Progress, done.FinishedAt, done.Model = scale.JobCompleted, 100, &fin, "mv-1"
	done.Metrics = map[string]float64{"accuracy": 0.97}
	must(t, s.TransitionJob(ctx, done, scale.JobRunning), "running → completed")
	back := done
	back.Status = scale.JobRunning
	wantKind(t, s.TransitionJob(ctx, back, scale.JobCompleted), scale.KindConflict, "completed → running")
	wantKind(t, s.HeartbeatJob(ctx, u, j.ID, 50, fin), scale.KindConflict, "heartbeat of a finished job")
	got, _ = s.GetJob(ctx, u, j.ID)
	if got.Status != scale.JobCompleted || got.Metrics["accuracy"] != 0.97 || got.Model != "mv-1" || got.FinishedAt == nil {
		t.Fatalf("completed job = %+v", got)
	}

	j2 := scale.TrainingJob{ID: scale.JobID(scale.NewID()), User: u, Status: scale.JobQueued, CreatedAt: baseTime.Add(time.Hour), UpdatedAt: baseTime}
	must(t, s.CreateJob(ctx, j2), "CreateJob 2")
	list, err := s.ListJobs(ctx, u, 10)
	must(t, err, "ListJobs")
	if len(list) != 2 || list[0].ID != j2.ID {
		t.Fatalf("ListJobs newest first = %+v", list)
	}
	n, err := s.PurgeJobs(ctx, fin.Add(time.Second))
	must(t, err, "PurgeJobs")
	if n != 1 {
		t.Fatalf("PurgeJobs = %d, want 1 (the finished one)", n)
	}
	_, err = s.GetJob(ctx, u, j.ID)
	wantKind(t, err, scale.KindNotFound, "purged job")
	_, err = s.GetJob(ctx, u, j2.ID)
	must(t, err, "queued job survives the purge")
}

func testModels(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	u := user(t, "m")
	_, err := s.ActiveModel(ctx, u)
	wantKind(t, err, scale.KindNotFound, "ActiveModel with none")
	var made []scale.ModelVersion
	for i := range 4 {
		m, err := s.CreateModelVersion(ctx, scale.ModelVersion{
			ID: scale.ModelVersionID(scale.NewID()), User: u, Job: scale.JobID(fmt.Sprintf("job-%d", i)),
			Metrics: map[string]float64{"accuracy": 0.9 + float64(i)/100}, Artifact: []byte{1, 2, byte(i)}, CreatedAt: baseTime,
		})
		must(t, err, "CreateModelVersion")
		if m.Version != i+1 || m.Active {
			t.Fatalf("version %d: got %+v", i+1, m)
		}
		made = append(made, m)
	}
	_, err = s.CreateModelVersion(ctx, scale.ModelVersion{ID: scale.ModelVersionID(scale.NewID()), User: u, Job: "job-1", CreatedAt: baseTime})
	wantKind(t, err, scale.KindConflict, "a second version for one job")
	must(t, s.ActivateModel(ctx, u, made[1].ID), "ActivateModel")
	must(t, s.ActivateModel(ctx, u, made[0].ID), "ActivateModel other")
	act, err := s.ActiveModel(ctx, u)
	must(t, err, "ActiveModel")
	if act.ID != made[0].ID || !slices.Equal(act.Artifact, []byte{1, 2, 0}) || act.Metrics["accuracy"] != 0.9 {
		t.Fatalf("ActiveModel = %+v", act)
	}
	list, err := s.ListModelVersions(ctx, u)
	must(t, err, "ListModelVersions")
	if len(list) != 4 || list[0].Version != 4 || list[0].Artifact != nil {
		t.Fatalf("ListModelVersions = %+v", list)
	}
	actives := 0
	for _, m := range list {
		if m.Active {
			actives++
		}
	}
	if actives != 1 {
		t.Fatalf("%d active versions, want exactly 1", actives)
	}
	n, err := s.PruneModels(ctx, u, 2)
	must(t, err, "PruneModels")
	if n != 1 { // versions 4 and 3 kept, 1 active kept, 2 deleted
		t.Fatalf("PruneModels = %d, want 1", n)
	}
	_, err = s.GetModelVersion(ctx, u, made[1].ID)
	wantKind(t, err, scale.KindNotFound, "pruned version")
	_, err = s.GetModelVersion(ctx, u, made[0].ID)
	must(t, err, "the active version survives pruning")
	users, err := s.ModelUsers(ctx)
	must(t, err, "ModelUsers")
	if !slices.Contains(users, u) {
		t.Fatalf("ModelUsers = %v, want it to contain %s", users, u)
	}
}

func testAnomalies(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	u := user(t, "an")
	a := seedAccount(t, s, u)
	var txs []scale.Transaction
	for i := range 5 {
		txs = append(txs, tx(u, a.ID, i, -int64(100*(i+1)), fmt.Sprintf("m%d", i)))
	}
	_, err := s.InsertTransactions(ctx, u, txs)
	must(t, err, "InsertTransactions")
	var as []scale.Anomaly
	for i, x := range txs {
		as = append(as, scale.Anomaly{ID: scale.AnomalyID(scale.NewID()), User: u, Transaction: x.ID,
			Kind: scale.AnomalyAmountOutlier, Score: 0.5 + float64(i)/10, Reason: "far above usual",
			Status: scale.AnomalyOpen, Date: x.Date, CreatedAt: baseTime, UpdatedAt: baseTime})
	}
	n, err := s.PutAnomalies(ctx, u, as)
	must(t, err, "PutAnomalies")
	if n != 5 {
		t.Fatalf("PutAnomalies = %d, want 5", n)
	}
	again := as[0]
	again.ID = scale.AnomalyID(scale.NewID())
	n, err = s.PutAnomalies(ctx, u, []scale.Anomaly{again})
	must(t, err, "PutAnomalies again")
	if n != 0 {
		t.Fatalf("a second finding of the same kind for the same transaction was stored")
	}
	must(t, s.SetAnomalyStatus(ctx, u, as[1].ID, scale.AnomalyDismissed, baseTime.Add(time.Hour)), "SetAnomalyStatus")
	got, err := s.GetAnomaly(ctx, u, as[1].ID)
	must(t, err, "GetAnomaly")
	if got.Status != scale.AnomalyDismissed || got.Reason != "far above usual" || got.Transaction != txs[1].ID {
		t.Fatalf("GetAnomaly = %+v", got)
	}
	var seen []scale.AnomalyID
	q := ports.AnomalyQuery{Status: scale.AnomalyOpen, Limit: 2}
	for range 10 {
		p, err := s.ListAnomalies(ctx, u, q)
		must(t, err, "ListAnomalies")
		for _, x := range p.Items {
			seen = append(seen, x.ID)
		}
		if p.Next == nil {
			break
		}
		q.After = p.Next
	}
	want := []scale.AnomalyID{as[4].ID, as[3].ID, as[2].ID, as[0].ID}
	if !slices.Equal(seen, want) {
		t.Fatalf("ListAnomalies(open) = %v, want %v", seen, want)
	}
}

// testIsolation proves that one user can never read or change another's rows
// through any store method.
func testIsolation(t *testing.T, newStore StoreFactory) {
	s, ctx := newStore(t), ctxOf(t)
	alice, mallory := user(t, "alice"), user(t, "mallory")
	a := seedAccount(t, s, alice)
	x := tx(alice, a.ID, 0, -999, "ALICE PRIVATE")
	_, err := s.InsertTransactions(ctx, alice, []scale.Transaction{x})
	must(t, err, "seed tx")
	up := upload(alice, a.ID, "alice-sha")
	must(t, s.CreateUpload(ctx, up), "seed upload")
	cat := scale.Category{ID: scale.CategoryID(scale.NewID()), User: alice, Name: "Secret", CreatedAt: baseTime}
	must(t, s.CreateCategory(ctx, cat), "seed category")
	rule := scale.Rule{ID: scale.RuleID(scale.NewID()), User: alice, Category: "food", Field: scale.FieldAny, Match: scale.MatchContains, Pattern: "x", CreatedAt: baseTime, UpdatedAt: baseTime}
	must(t, s.CreateRule(ctx, rule), "seed rule")
	must(t, s.PutCorrection(ctx, ports.Correction{User: alice, Key: "k", Category: "food", UpdatedAt: baseTime}), "seed correction")
	job := scale.TrainingJob{ID: scale.JobID(scale.NewID()), User: alice, Status: scale.JobQueued, CreatedAt: baseTime, UpdatedAt: baseTime}
	must(t, s.CreateJob(ctx, job), "seed job")
	mv, err := s.CreateModelVersion(ctx, scale.ModelVersion{ID: scale.ModelVersionID(scale.NewID()), User: alice, Artifact: []byte{1}, CreatedAt: baseTime})
	must(t, err, "seed model")
	must(t, s.ActivateModel(ctx, alice, mv.ID), "activate")
	an := scale.Anomaly{ID: scale.AnomalyID(scale.NewID()), User: alice, Transaction: x.ID, Kind: scale.AnomalyDuplicateCharge, Score: 1, Reason: "r", Status: scale.AnomalyOpen, Date: x.Date, CreatedAt: baseTime, UpdatedAt: baseTime}
	_, err = s.PutAnomalies(ctx, alice, []scale.Anomaly{an})
	must(t, err, "seed anomaly")
	must(t, s.PutProfile(ctx, scale.Profile{User: alice, DisplayName: "Alice", Currency: "EUR", TimeZone: "UTC", Locale: "en", CreatedAt: baseTime, UpdatedAt: baseTime}), "seed profile")

	nf := func(err error, what string) { t.Helper(); wantKind(t, err, scale.KindNotFound, "mallory "+what) }
	_, err = s.GetAccount(ctx, mallory, a.ID)
	nf(err, "GetAccount")
	stolen := a
	stolen.User, stolen.Name = mallory, "pwned"
	nf(s.UpdateAccount(ctx, stolen), "UpdateAccount")
	_, err = s.GetTransaction(ctx, mallory, x.ID)
	nf(err, "GetTransaction")
	xt := x
	xt.User, xt.Notes = mallory, "pwned"
	nf(s.UpdateTransaction(ctx, xt), "UpdateTransaction")
	nf(s.DeleteTransaction(ctx, mallory, x.ID), "DeleteTransaction")
	if n, err := s.SetLabels(ctx, mallory, []ports.LabelUpdate{{ID: x.ID, Label: scale.Label{Category: "misc", Source: scale.SourceRule, Confidence: 1}}}); err != nil || n != 0 {
		t.Fatalf("mallory SetLabels changed %d rows (err %v)", n, err)
	}
	if p, err := s.ListTransactions(ctx, mallory, ports.TransactionQuery{Limit: 100}); err != nil || len(p.Items) != 0 {
		t.Fatalf("mallory ListTransactions = %d items (err %v)", len(p.Items), err)
	}
	if fps, err := s.ExistingFingerprints(ctx, mallory, []string{x.Fingerprint}); err != nil || len(fps) != 0 {
		t.Fatalf("mallory ExistingFingerprints = %v (err %v)", fps, err)
	}
	// Mallory cannot put a row on Alice's account, directly or in an import.
	onAlice := x
	onAlice.ID, onAlice.User, onAlice.Fingerprint = scale.TransactionID(scale.NewID()), mallory, "mallory-on-alice"
	if _, err := s.InsertTransactions(ctx, mallory, []scale.Transaction{onAlice}); err == nil {
		t.Fatal("mallory stored a transaction on alice's account")
	}
	if _, err := s.GetTransaction(ctx, mallory, onAlice.ID); scale.KindOf(err) != scale.KindNotFound {
		t.Fatalf("a refused row was stored: %v", err)
	}
	// Mallory inserting a row with Alice's fingerprint on her own account
	// creates Mallory's row and leaves Alice's untouched.
	mAcct := seedAccount(t, s, mallory)
	mx := x
	mx.ID, mx.User, mx.Account = scale.TransactionID(scale.NewID()), mallory, mAcct.ID
	if res, err := s.InsertTransactions(ctx, mallory, []scale.Transaction{mx}); err != nil || len(res.Inserted) != 1 {
		t.Fatalf("fingerprints must be unique per user, not globally: %+v %v", res, err)
	}
	_, err = s.GetUpload(ctx, mallory, up.ID)
	nf(err, "GetUpload")
	_, err = s.FindUploadBySHA256(ctx, mallory, "alice-sha")
	nf(err, "FindUploadBySHA256")
	upt := up
	upt.User, upt.Status = mallory, scale.UploadFailed
	nf(s.UpdateUpload(ctx, upt), "UpdateUpload")
	if l, _, err := s.ListUploads(ctx, mallory, 100, nil); err != nil || len(l) != 0 {
		t.Fatalf("mallory ListUploads = %d (err %v)", len(l), err)
	}
	catT := cat
	catT.User, catT.Name = mallory, "pwned"
	nf(s.UpdateCategory(ctx, catT), "UpdateCategory")
	nf(s.DeleteCategory(ctx, mallory, cat.ID), "DeleteCategory")
	if l, err := s.ListCategories(ctx, mallory); err != nil || len(l) != 0 {
		t.Fatalf("mallory ListCategories = %d", len(l))
	}
	_, err = s.GetRule(ctx, mallory, rule.ID)
	nf(err, "GetRule")
	ruleT := rule
	ruleT.User = mallory
	nf(s.UpdateRule(ctx, ruleT), "UpdateRule")
	nf(s.DeleteRule(ctx, mallory, rule.ID), "DeleteRule")
	if l, err := s.ListRules(ctx, mallory); err != nil || len(l) != 0 {
		t.Fatalf("mallory ListRules = %d", len(l))
	}
	if l, err := s.ListCorrections(ctx, mallory); err != nil || len(l) != 0 {
		t.Fatalf("mallory ListCorrections = %d", len(l))
	}
	_, err = s.GetJob(ctx, mallory, job.ID)
	nf(err, "GetJob")
	jt := job
	jt.User, jt.Status = mallory, scale.JobRunning
	nf(s.TransitionJob(ctx, jt, scale.JobQueued), "TransitionJob")
	nf(s.HeartbeatJob(ctx, mallory, job.ID, 10, baseTime), "HeartbeatJob")
	if l, err := s.ListJobs(ctx, mallory, 10); err != nil || len(l) != 0 {
		t.Fatalf("mallory ListJobs = %d", len(l))
	}
	_, err = s.GetModelVersion(ctx, mallory, mv.ID)
	nf(err, "GetModelVersion")
	nf(s.ActivateModel(ctx, mallory, mv.ID), "ActivateModel")
	_, err = s.ActiveModel(ctx, mallory)
	nf(err, "ActiveModel")
	if n, err := s.PruneModels(ctx, mallory, 0); err != nil || n != 0 {
		t.Fatalf("mallory PruneModels deleted %d", n)
	}
	_, err = s.GetAnomaly(ctx, mallory, an.ID)
	nf(err, "GetAnomaly")
	nf(s.SetAnomalyStatus(ctx, mallory, an.ID, scale.AnomalyDismissed, baseTime), "SetAnomalyStatus")
	if p, err := s.ListAnomalies(ctx, mallory, ports.AnomalyQuery{Limit: 10}); err != nil || len(p.Items) != 0 {
		t.Fatalf("mallory ListAnomalies = %d", len(p.Items))
	}
	_, err = s.GetProfile(ctx, mallory)
	nf(err, "GetProfile")
	itx, err := s.BeginImport(ctx, mallory, ports.ImportOptions{})
	must(t, err, "mallory BeginImport")
	upm := up
	upm.User, upm.Status = mallory, scale.UploadCompleted
	nf(itx.Commit(ctx, upm), "Commit onto alice's upload")

	// Alice's data is intact.
	got, err := s.GetTransaction(ctx, alice, x.ID)
	must(t, err, "alice GetTransaction")
	if got.Notes != "" || got.Label != x.Label {
		t.Fatalf("alice's transaction changed: %+v", got)
	}
	gotA, _ := s.GetAccount(ctx, alice, a.ID)
	if gotA.Name != "Main" {
		t.Fatalf("alice's account changed: %+v", gotA)
	}
	gotU, _ := s.GetUpload(ctx, alice, up.ID)
	if gotU.Status != scale.UploadProcessing {
		t.Fatalf("alice's upload changed: %+v", gotU)
	}
	gotJ, _ := s.GetJob(ctx, alice, job.ID)
	if gotJ.Status != scale.JobQueued {
		t.Fatalf("alice's job changed: %+v", gotJ)
	}
	gotAn, _ := s.GetAnomaly(ctx, alice, an.ID)
	if gotAn.Status != scale.AnomalyOpen {
		t.Fatalf("alice's anomaly changed: %+v", gotAn)
	}
	if _, err := s.GetRule(ctx, alice, rule.ID); err != nil {
		t.Fatalf("alice's rule was deleted: %v", err)
	}
	if cs, _ := s.ListCategories(ctx, alice); len(cs) != 1 || cs[0].Name != "Secret" {
		t.Fatalf("alice's categories changed: %+v", cs)
	}
}
