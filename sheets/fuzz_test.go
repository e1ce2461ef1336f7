package sheets_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"testing"

	"rcm/reporting"
	"rcm/sheets"
)

// checkResult holds for any input: either values or a *FileError with at
// least one problem, never both; values name only the template's indicators
// and are never blank.
func checkResult(t *testing.T, values reporting.Values, err error) {
	t.Helper()
	if err != nil {
		var fe *sheets.FileError
		if !errors.As(err, &fe) || len(fe.Problems) == 0 {
			t.Fatalf("error is not a *FileError with problems: %v", err)
		}
		if values != nil {
			t.Fatalf("values %v returned with an error", values)
		}
		return
	}
	tmpl := template()
	for code, v := range values {
		if _, ok := tmpl.Indicator(code); !ok {
			t.Fatalf("value for unknown indicator %q", code)
		}
		if v == "" {
			t.Fatalf("blank value for %q", code)
		}
	}
	if _, problems := tmpl.ValidateValues(values); len(problems) > 1 || len(problems) == 1 && problems[0].Code != reporting.FieldRequired {
		t.Fatalf("accepted values the template refuses: %v", problems)
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("indicator,value\nGRDP,1250.5\nJOBS,300\nNOTE,\"a, b\"\n"))
	f.Add([]byte("\xef\xbb\xbfvalue,indicator\n1,GRDP\n"))
	f.Add([]byte("indicator,value\nGRDP,1,5\nNOPE,x\n"))
	f.Add([]byte("indicator;value (1.234,5)\nGRDP;12.000\nGROWTH;-8,2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		values, err := sheets.ReadCSV(bytes.NewReader(data), template())
		checkResult(t, values, err)
		if err != nil {
			return
		}
		// What was read writes back as CSV, stating the canonical notation
		// of what was read, and reads the same.
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write([]string{"indicator", sheets.ValueHeader("value", reporting.NotationCanonical)})
		for code, v := range values {
			_ = w.Write([]string{code, v})
		}
		w.Flush()
		again, err := sheets.ReadCSV(&buf, template())
		if err != nil {
			t.Fatalf("re-reading %q: %v", buf.String(), err)
		}
		if len(again) != len(values) {
			t.Fatalf("re-read %v, want %v", again, values)
		}
		for code, v := range values {
			if again[code] != v {
				t.Fatalf("re-read %s = %q, want %q", code, again[code], v)
			}
		}
	})
}

func FuzzRead(f *testing.F) {
	var exported bytes.Buffer
	if err := sheets.Write(&exported, template(), "vi"); err != nil {
		f.Fatal(err)
	}
	f.Add(exported.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("indicator,value\nGRDP,1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		values, err := sheets.Read(bytes.NewReader(data), template())
		checkResult(t, values, err)
	})
}
