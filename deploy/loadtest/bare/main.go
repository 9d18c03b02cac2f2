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

type tx struct {
	ID          string `json:"id"`
	Date        string `json:"date"`
	Amount      string `json:"amount"`
	Currency    string `json:"currency"`
	Description string `json:"description"`
	Merchant    string `json:"merchant"`
	Category    string `json:"category"`
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
			rows, err := pool.Query(r.Context(), `SELECT id::text, booked_on::text, amount, currency, description, merchant, category
				FROM transactions WHERE user_id = $1 ORDER BY transactions.booked_on DESC, transactions.id DESC LIMIT 51`, *user)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			defer rows.Close()
			var out []tx
			for rows.Next() {
				var t tx
				var minor int64
				if err := rows.Scan(&t.ID, &t.Date, &minor, &t.Currency, &t.Description, &t.Merchant, &t.Category); err != nil {
					http.Error(w, err.Error(), 500)
					return
				}
				t.Amount = strconv.FormatFloat(float64(minor)/100, 'f', 2, 64)
				out = append(out, t)
			}
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]any{"items": out})
		})
	}
	log.Fatal(http.ListenAndServe(*addr, mux))
}
