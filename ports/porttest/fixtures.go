package porttest

import (
	"fmt"
	"time"

	"github.com/scalehq/scale/scale"
)

// baseTime is a fixed instant with sub-microsecond digits, to catch adapters
// that do not truncate like PostgreSQL does.
var baseTime = time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)

func user(t interface{ Name() string }, n string) scale.UserID {
	return scale.UserID("user-" + n + "-" + scale.NewID()[:8])
}

func account(u scale.UserID, name string) scale.Account {
	return scale.Account{
		ID: scale.AccountID(scale.NewID()), User: u, Name: name, Kind: scale.AccountChecking,
		Currency: "EUR", Institution: "Test Bank", CreatedAt: baseTime, UpdatedAt: baseTime,
	}
}

func tx(u scale.UserID, a scale.AccountID, day int, minor int64, desc string) scale.Transaction {
	d := scale.Date{Year: 2026, Month: time.March, Day: 1}.AddDays(day)
	id := scale.TransactionID(scale.NewID())
	return scale.Transaction{
		ID: id, User: u, Account: a, Date: d,
		Amount: scale.Money{Minor: minor, Currency: "EUR"}, Description: desc, Merchant: merchantOf(desc),
		Fingerprint: fmt.Sprintf("v1:%s:%s:%d:%s", a, d, minor, desc), FingerprintVersion: "v1",
		Raw: map[string]string{"Description": desc}, CreatedAt: baseTime, UpdatedAt: baseTime,
	}
}

func merchantOf(desc string) string {
	for i := 0; i < len(desc); i++ {
		if desc[i] == ' ' {
			return desc[:i]
		}
	}
	return desc
}

func upload(u scale.UserID, a scale.AccountID, sha string) scale.Upload {
	return scale.Upload{
		ID: scale.UploadID(scale.NewID()), User: u, Account: a, FileName: "statement.csv",
		SHA256: sha, Size: 1234, Format: "csv", Status: scale.UploadProcessing, CreatedAt: baseTime,
	}
}

func ptr[T any](v T) *T { return &v }
