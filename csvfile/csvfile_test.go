package csvfile_test

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/csvfile"
)

// readAll reads every record, or returns the first error.
func readAll(t *testing.T, text string, lim csvfile.Limits) ([][]string, error) {
	t.Helper()
	r := csvfile.NewReader(strings.NewReader(text), lim)
	var out [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

func TestReadSeparatorsAndMarks(t *testing.T) {
	tests := []struct {
		name string
		text string
		want [][]string
	}{
		{"comma", "indicator,value\nGRDP,12\n", [][]string{{"indicator", "value"}, {"GRDP", "12"}}},
		{"semicolon, as Excel writes with a decimal comma",
			"indicator;value (1.234,5);name\r\nGRDP;1.234,5;Tổng sản phẩm\r\n",
			[][]string{{"indicator", "value (1.234,5)", "name"}, {"GRDP", "1.234,5", "Tổng sản phẩm"}}},
		{"semicolon, two columns and a decimal comma in the header", "indicator;value (1.234,5)\nGRDP;8,2\n",
			[][]string{{"indicator", "value (1.234,5)"}, {"GRDP", "8,2"}}},
		{"tab", "indicator\tvalue\nGRDP\t12\n", [][]string{{"indicator", "value"}, {"GRDP", "12"}}},
		{"quoted separators do not count", "\"a;b;c\",value\nx,1\n", [][]string{{"a;b;c", "value"}, {"x", "1"}}},
		{"byte-order mark", "\xef\xbb\xbfindicator,value\nGRDP,1\n", [][]string{{"indicator", "value"}, {"GRDP", "1"}}},
		{"Excel's sep= line", "sep=;\nindicator;value\nGRDP;1,5\n", [][]string{{"indicator", "value"}, {"GRDP", "1,5"}}},
		{"mark and sep= line", "\xef\xbb\xbfsep=,\r\nindicator,value\n", [][]string{{"indicator", "value"}}},
		{"blank lines skipped", "a,b\n\n1,2\n\n", [][]string{{"a", "b"}, {"1", "2"}}},
		{"one column", "code\nHNI\n", [][]string{{"code"}, {"HNI"}}},
		{"empty", "", nil},
		{"neutralised cells read back", "name,value\n'=SUM(A1),-3.5\n'-x,'-3.5\n", [][]string{{"name", "value"}, {"=SUM(A1)", "-3.5"}, {"-x", "'-3.5"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, tt.text, csvfile.Limits{})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestReadLineNumbers(t *testing.T) {
	r := csvfile.NewReader(strings.NewReader("sep=;\na;b\n\n\"x\ny\";1\nz;2\n"), csvfile.Limits{})
	var lines []int
	for {
		if _, err := r.Read(); err != nil {
			require.ErrorIs(t, err, io.EOF)
			break
		}
		lines = append(lines, r.Line())
	}
	assert.Equal(t, []int{2, 4, 6}, lines, "lines of the file, the sep= line and blank lines counted")
	assert.Equal(t, ';', r.Comma())
}

func TestReadRefuses(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		lim     csvfile.Limits
		code    string
		message string
	}{
		{"broken quoting", "a,b\nx,\"1\n", csvfile.Limits{}, csvfile.CodeMalformed, "line 2: not CSV: extraneous or missing \" in quoted-field"},
		{"bare quote", "a,b\nx,1\"2\n", csvfile.Limits{}, csvfile.CodeMalformed, "line 2: not CSV: bare \" in non-quoted-field"},
		{"Windows code page", "code,name\nHNI,H\xe0 N\xf4i\n", csvfile.Limits{}, csvfile.CodeEncoding,
			`line 2, column 2 (name): not UTF-8 text; the file was probably saved in a Windows code page: save it as "CSV UTF-8"`},
		{"UTF-16", "\xff\xfei\x00n\x00", csvfile.Limits{}, csvfile.CodeEncoding, `line 1: the file is UTF-16 text (Excel's "Unicode Text"); save it as "CSV UTF-8"`},
		{"unknown sep=", "sep=|\na|b\n", csvfile.Limits{}, csvfile.CodeMalformed, "names no separator"},
		{"too many bytes", "a,b\n" + strings.Repeat("x,1\n", 100), csvfile.Limits{Bytes: 100}, csvfile.CodeTooLarge, "the file is larger than 100 bytes"},
		{"a long line", "a,b\nx," + strings.Repeat("1", 200) + "\n", csvfile.Limits{LineBytes: 100}, csvfile.CodeTooLarge, "line 2: the line is longer than 100 bytes"},
		{"a long first line", strings.Repeat("a", 200), csvfile.Limits{LineBytes: 100}, csvfile.CodeTooLarge, "line 1: the line is longer than 100 bytes"},
		{"a separator flood", "a,b\n" + strings.Repeat(",", 70_000) + "\n", csvfile.Limits{}, csvfile.CodeTooLarge, "line 2: the line is longer than 65536 bytes"},
		{"too many records", "a\n1\n2\n3\n", csvfile.Limits{Records: 3}, csvfile.CodeTooLarge, "line 4: the file has more than 3 lines"},
		{"a long field", "a,b\nx,\"" + strings.Repeat("1\n", 60) + "\"\n", csvfile.Limits{FieldBytes: 100}, csvfile.CodeTooLarge,
			"line 2, column 2 (b): the field is longer than 100 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readAll(t, tt.text, tt.lim)
			var ce *csvfile.Error
			require.True(t, errors.As(err, &ce), "want a *csvfile.Error, got %v", err)
			assert.Equal(t, tt.code, ce.Code)
			assert.Contains(t, err.Error(), tt.message)
			assert.Equal(t, tt.code == csvfile.CodeTooLarge, errors.Is(err, csvfile.ErrTooLarge))
		})
	}
}

func TestReadKeepsFailing(t *testing.T) {
	r := csvfile.NewReader(strings.NewReader("a,b\nx,\"1\ny,2\n"), csvfile.Limits{})
	_, err := r.Read()
	require.NoError(t, err)
	_, first := r.Read()
	require.Error(t, first)
	_, again := r.Read()
	assert.Equal(t, first, again, "a reader that failed does not go on as if nothing happened")
}

// TestWritersNeutraliseFormulas: what a spreadsheet program would run is
// written as text; numbers, negative ones included, stay numbers.
func TestWriterNeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	w := csvfile.NewWriter(&buf)
	require.NoError(t, w.WriteAll([][]string{
		{"name", "value"},
		{"=HYPERLINK(\"http://evil.example\",\"x\")", "-3.5"},
		{"+1", "-12"},
		{"-1+1", "0"},
		{"@SUM(A1)", "1234.5"},
		{"\tcmd", "\r=1"},
		{" =1", "'=1"},
		{"Hà Nội - Hải Phòng", "-1e5"},
		{"", "-"},
	}))
	assert.Equal(t, "name,value\n"+
		"\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",-3.5\n"+
		"'+1,-12\n"+
		"'-1+1,0\n"+
		"'@SUM(A1),1234.5\n"+
		"'\tcmd,\"'\r=1\"\n"+
		"' =1,''=1\n"+
		"Hà Nội - Hải Phòng,'-1e5\n"+
		",'-\n", buf.String())
}

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GRDP", "GRDP"},
		{"=1+1", "'=1+1"},
		{"+84 24 1234 5678", "'+84 24 1234 5678"},
		{"-3.5", "-3.5"},
		{"-0", "-0"},
		{"12", "12"},
		{"-.5", "'-.5"},
		{"-3.", "'-3."},
		{"--3", "'--3"},
		{"@x", "'@x"},
		{"'=x", "''=x"},
		{"'x", "'x"},
		{"\u00a0=x", "'\u00a0=x"},
		{"a=b", "a=b"},
		{"", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, csvfile.Neutralise(tt.in), "%q", tt.in)
		assert.Equal(t, tt.in, csvfile.Unneutralise(csvfile.Neutralise(tt.in)), "%q", tt.in)
	}
}

// FuzzNeutralise: reading undoes writing for every text, and what is
// written never starts a formula unless it is a plain number.
func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"=1", "-3.5", "'=x", "''-1", " @a", "\t", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := csvfile.Neutralise(s)
		if back := csvfile.Unneutralise(out); back != s {
			t.Fatalf("Unneutralise(Neutralise(%q)) = %q", s, back)
		}
		if out != "" && strings.ContainsRune("=+-@\t\r", rune(out[0])) {
			num := strings.TrimPrefix(out, "-")
			if num == "" || strings.Trim(num, "0123456789.") != "" || strings.Count(num, ".") > 1 || strings.HasPrefix(num, ".") || strings.HasSuffix(num, ".") {
				t.Fatalf("Neutralise(%q) = %q starts a formula", s, out)
			}
		}
	})
}

// FuzzReader: any input gives records or an *Error, never a panic, and a
// file written by Writer reads back as written.
func FuzzReader(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"))
	f.Add([]byte("sep=;\na;b\n"))
	f.Add([]byte("\xef\xbb\xbf\"x\ny\";1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := readAll(t, string(data), csvfile.Limits{Bytes: 4096, LineBytes: 512, Records: 50, FieldBytes: 256})
		if err != nil {
			var ce *csvfile.Error
			if !errors.As(err, &ce) {
				t.Fatalf("not a *csvfile.Error: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := csvfile.NewWriter(&buf).WriteAll(recs); err != nil {
			t.Fatal(err)
		}
		again, err := readAll(t, buf.String(), csvfile.Limits{})
		if err != nil {
			t.Fatalf("re-reading %q: %v", buf.String(), err)
		}
		if len(again) != len(recs) {
			t.Fatalf("re-read %d records, want %d", len(again), len(recs))
		}
		for i := range recs {
			if strings.Join(again[i], "\x00") != strings.Join(recs[i], "\x00") {
				t.Fatalf("record %d re-read as %q, want %q", i, again[i], recs[i])
			}
		}
	})
}
