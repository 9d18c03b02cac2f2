// Command bare is the baseline of the HTTP load tests: a plain net/http
// server with no middleware, no authentication and no framework. It answers
// GET /api/v1/profile with a fixed JSON body and, given -pg, GET
// /api/v1/transactions with the same keyset query the PostgreSQL adapter
// runs, so the reference server's cost can be reported as a ratio.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// tx has the fields the reference server returns for a transaction.
type tx struct {
	ID          string    `json:"id"`
	AccountID   string    `json:"account_id"`
	Date        string    `json:"date"`
	Amount      string    `json:"amount"`
	Currency    string    `json:"currency"`
	Type        string    `json:"type"`
	Description string    `json:"description"`
	Merchant    string    `json:"merchant"`
	Notes       string    `json:"notes"`
	Reference   string    `json:"reference,omitempty"`
	Category    string    `json:"category"`
	LabelSource string    `json:"label_source"`
	Confidence  float64   `json:"confidence"`
	UploadID    string    `json:"upload_id,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18090", "listen address")
	pg := flag.String("pg", "", "PostgreSQL URL for /api/v1/transactions")
	user := flag.String("user", "bench", "user whose transactions are listed")
	flag.Parse()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/profile", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"user_id": "bench", "display_name": "", "currency": "EUR",
			"time_zone": "UTC", "locale": "en", "updated_at": time.Now().UTC().Format(time.RFC3339Nano)})
	})
	if *pg != "" {
		pool, err := pgxpool.New(context.Background(), *pg)
		if err != nil {
			log.Fatal(err)
		}
		mux.HandleFunc("GET /api/v1/transactions", func(w http.ResponseWriter, r *http.Request) {
			// The same statement the PostgreSQL adapter runs for a first page.
			rows, err := pool.Query(r.Context(), `SELECT id::text, user_id, account_id::text, booked_on::text, amount, currency,
				description, merchant, notes, reference, category, label_source, confidence,
				fingerprint, fingerprint_version, raw_data, coalesce(upload_id::text, ''), created_at, updated_at
				FROM transactions WHERE user_id = $1
				ORDER BY transactions.booked_on DESC, transactions.id DESC LIMIT $2`, *user, 51)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			defer rows.Close()
			var out []tx
			for rows.Next() {
				var t tx
				var minor int64
				var owner, fp, fpv string
				var raw map[string]string
				if err := rows.Scan(&t.ID, &owner, &t.AccountID, &t.Date, &minor, &t.Currency, &t.Description, &t.Merchant,
					&t.Notes, &t.Reference, &t.Category, &t.LabelSource, &t.Confidence, &fp, &fpv, &raw, &t.UploadID,
					&t.CreatedAt, &t.UpdatedAt); err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
				t.Amount = strconv.FormatFloat(float64(minor)/100, 'f', 2, 64)
				t.Type = "debit"
				if minor > 0 {
					t.Type = "credit"
				}
				out = append(out, t)
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"items": out})
		})
	}
	log.Fatal(http.ListenAndServe(*addr, mux))
}
