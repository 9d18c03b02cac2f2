package ingestion

import (
	"bytes"
	"strings"
	"testing"

	"github.com/matryer/is"
)

// encodeCodePage writes UTF-8 text in a single-byte code page; the test
// texts hold only characters the code page has.
func encodeCodePage(t *testing.T, s string, high *[128]rune) []byte {
	t.Helper()
	var b []byte
	for _, r := range s {
		if r < 0x80 {
			b = append(b, byte(r))
			continue
		}
		found := false
		for i, h := range high {
			if h == r {
				b, found = append(b, byte(0x80+i)), true
				break
			}
		}
		if !found {
			t.Fatalf("%q is not in the code page", r)
		}
	}
	return b
}

// TestDetectCodePageByLanguage reads statement snippets written in a
// Windows code page: each is detected as the code page it was written in
// and decodes back to its text.
func TestDetectCodePageByLanguage(t *testing.T) {
	tests := []struct {
		lang string
		cs   charset
		text string
	}{
		// Western European, Windows-1252
		{"Danish, ø only", charsetWindows1252, "\"Dato\";\"Tekst\";\"Beløb\";\"Saldo\"\n\"08.03.2024\";\"Løn ACME A/S\";\"28.500,00\";\"39.343,25\"\n\"28.03.2024\";\"Udført\";\"-9.500,00\";\"29.643,25\"\n"},
		{"Danish", charsetWindows1252, "Dato;Tekst;Beløb\n04.03.2024;Kære Søren, Århus Købmand;-156,75\n05.03.2024;Bogføring på konto;12,00\n"},
		{"Norwegian", charsetWindows1252, "Dato;Forklaring;Rentedato;Ut fra konto;Inn på konto\n04.03.2024;Varekjøp Kiwi Grünerløkka;04.03.2024;245,50;\n25.03.2024;Lønn;25.03.2024;;31200,00\n"},
		{"Swedish", charsetWindows1252, "Bokföringsdag;Belopp;Rubrik\n2024-03-22;-1234,50;Kortköp Åhléns\n2024-03-25;32000,00;Lön – mars\n"},
		{"German", charsetWindows1252, "Buchungstag;Verwendungszweck;Betrag (€)\n01.03.2024;Überweisung Müller Straße Gebühr;-12,50\n"},
		{"French", charsetWindows1252, "Date;Libellé;Débit euros;Crédit euros\n04/03/2024;Prélèvement Électricité à Orléans, côte, cœur;45,00;\n05/03/2024;Virement reçu Noël;;1 200,00\n"},
		{"Spanish", charsetWindows1252, "Fecha;Concepto;Importe\n04/03/2024;Pago en Peñíscola Café;-12,00\n"},
		{"Portuguese", charsetWindows1252, "data;lançamento;valor (R$)\n04/03/2024;Pagamento São João, Conceição;-150,00\n"},
		{"English pounds", charsetWindows1252, "Date,Description,Paid out,Paid in\n02/03/2024,TESCO,£12.50,\n03/03/2024,SALARY,,£1500.00\n04/03/2024,COSTA,£4.50,\n"},
		// Central European, Windows-1250
		{"Czech", charsetWindows1250, "Datum provedení;Název protiúčtu;Zaúčtovaná částka;Zpráva\n04.03.2024;Převod na účet;-1 250,00;Nájem březen\n"},
		{"Czech, ř and shared letters", charsetWindows1250, "Datum;Popis;Částka\n04.03.2024;Příjem výplaty;12 000,00\n"},
		{"Polish", charsetWindows1250, "\"Data operacji\",\"Kwota\",\"Opis transakcji\"\n\"2024-03-04\",\"-45.99\",\"Płatność kartą Żabka Łódź\"\n\"2024-03-10\",\"6500.00\",\"Tytuł: WYNAGRODZENIE, ul. Łąkowa, Gdańsk, Świętokrzyska\"\n"},
		{"Hungarian", charsetWindows1250, "Dátum;Közlemény;Összeg\n2024.03.04;Vásárlás Győr, Fűtés díja;-12 500\n"},
		{"Slovak", charsetWindows1250, "Dátum;Popis;Suma\n04.03.2024;Platba kartou, ľadový čaj, Košice;-2,50\n"},
		{"Croatian", charsetWindows1250, "Datum;Opis;Iznos\n04.03.2024;Plaćanje Đakovo, Čakovec, Šibenik, Žepče;-20,00\n"},
		{"Romanian", charsetWindows1250, "Data;Descriere;Suma\n04.03.2024;Plată Timişoara, Braşov, Piaţa;-20,00\n"},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			is := is.New(t)
			high := &windows1252
			if tt.cs == charsetWindows1250 {
				high = &windows1250
			}
			b := encodeCodePage(t, tt.text, high)
			cs, skip, err := detectCharset(bytes.NewReader(b))
			is.NoErr(err)
			is.Equal(skip, 0)
			is.Equal(cs, tt.cs)
			is.Equal(decodeAll(t, decoder(bytes.NewReader(b), cs)), tt.text)
		})
	}
}

// TestDetectCodePageAcrossChunks reads a file longer than one 64 KiB read,
// a letter ending the first.
func TestDetectCodePageAcrossChunks(t *testing.T) {
	is := is.New(t)
	line := "04.03.2024;Převod na účet, Příjem;-1 250,00\n"
	text := strings.Repeat("x", 64<<10-1) + "ř" + strings.Repeat(line, 3)
	cs, _, err := detectCharset(bytes.NewReader(encodeCodePage(t, text, &windows1250)))
	is.NoErr(err)
	is.Equal(cs, charsetWindows1250)
}
