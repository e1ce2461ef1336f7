package sheets_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"rcm/reporting"
	"rcm/sheets"
)

// largeTemplate has n decimal indicators with long names, as large a
// template as any office makes and more.
func largeTemplate(n int) reporting.Template {
	tmpl := reporting.Template{Code: "LON", NameVI: "Biểu mẫu lớn"}
	for i := range n {
		tmpl.Indicators = append(tmpl.Indicators, reporting.Indicator{Code: fmt.Sprintf("I%04d", i), Type: reporting.TypeDecimal,
			NameVI: fmt.Sprintf("Chỉ tiêu số %d của biểu mẫu lớn, tên dài như tên các chỉ tiêu thống kê thật", i), Unit: "tỷ đồng", Min: "0"})
	}
	return tmpl
}

// filledLarge is the exported spreadsheet of tmpl with every value filled
// in: half as number cells, half as Vietnamese text.
func filledLarge(t testing.TB, tmpl reporting.Template) []byte {
	t.Helper()
	return exported(t, tmpl, "vi", func(f *excelize.File, sheet string) {
		values := make([]any, len(tmpl.Indicators))
		for i := range values {
			values[i] = float64(i) + 0.5
			if i%2 == 1 {
				values[i] = fmt.Sprintf("%d,5", i)
			}
		}
		require.NoError(t, f.SetSheetCol(sheet, "H5", &values))
	})
}

// zipWith returns an exported template's spreadsheet with one more part.
func zipWith(t testing.TB, name string, content []byte, more int) []byte {
	t.Helper()
	var exported bytes.Buffer
	require.NoError(t, sheets.Write(&exported, template(), "vi"))
	zr, err := zip.NewReader(bytes.NewReader(exported.Bytes()), int64(exported.Len()))
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		require.NoError(t, zw.Copy(zf))
	}
	for i := 0; i <= more; i++ {
		part := name
		if i > 0 {
			part = fmt.Sprintf("%s%d", name, i)
		}
		w, err := zw.Create(part)
		require.NoError(t, err)
		_, err = w.Write(content)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}

func TestReadRefusesFilesPastTheLimits(t *testing.T) {
	longText := strings.Repeat("x", sheets.MaxCellBytes+1)
	var csvBytes, csvLines strings.Builder
	csvBytes.WriteString("indicator,value\n")
	for csvBytes.Len() <= sheets.MaxFileBytes {
		csvBytes.WriteString("NOTE," + strings.Repeat("x", 2000) + "\n")
	}

	csvLines.WriteString("indicator,value\n")
	for range sheets.MaxLines {
		csvLines.WriteString("NOTE,\n")
	}
	tests := []struct {
		name   string
		read   func(io.Reader, reporting.Template) (reporting.Values, error)
		file   []byte
		reason string
	}{
		{"a CSV file past MaxFileBytes", sheets.ReadCSV,
			[]byte(csvBytes.String()), "larger than"},
		{"a CSV file with too many lines", sheets.ReadCSV, []byte(csvLines.String()), "more than 5000 lines"},
		{"a CSV cell past MaxCellBytes", sheets.ReadCSV, []byte("indicator,value\nNOTE," + longText + "\n"), "column 2 (value): the field is longer than"},
		{"a spreadsheet past MaxFileBytes", sheets.Read, append([]byte("PK\x03\x04"), make([]byte, sheets.MaxFileBytes)...), "larger than"},
		{"a zip bomb", sheets.Read, zipWith(t, "xl/media/bomb.bin", make([]byte, sheets.MaxUnzippedBytes), 0), "unzips to"},
		{"a spreadsheet of too many parts", sheets.Read, zipWith(t, "xl/media/p", []byte("x"), 1000), "parts"},
		{"a sheet with too many rows", sheets.Read, fill(t, "vi", map[string]any{fmt.Sprintf("A%d", sheets.MaxLines+1): "x"}), "more than 5000 rows"},
		{"a spreadsheet cell past MaxCellBytes", sheets.Read, fill(t, "vi", map[string]any{"H8": longText}), "cell H8 holds more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values, err := tt.read(bytes.NewReader(tt.file), template())
			require.Nil(t, values)
			require.ErrorIs(t, err, sheets.ErrTooLarge, "a server answers 413")
			require.ErrorContains(t, err, tt.reason)
		})
	}
	_, err := sheets.ReadCSV(strings.NewReader("indicator,value\nGRDP,abc\n"), template())
	require.Error(t, err)
	require.NotErrorIs(t, err, sheets.ErrTooLarge, "other problems are not about size")
}

// TestConcurrentReadsStayBounded: large spreadsheets uploaded at once are
// read in turns, so the heap grows by about what two reads take, not by
// what all of them take (without the Limiter: 88 MiB against 22 here); one
// past the limits among them is refused.
func TestConcurrentReadsStayBounded(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(25)) // the heap follows what is live
	tmpl := largeTemplate(2000)
	file := filledLarge(t, tmpl)
	bomb := zipWith(t, "xl/media/bomb.bin", make([]byte, sheets.MaxUnzippedBytes), 0)

	one := heapGrowth(t, func() {
		values, err := sheets.Read(bytes.NewReader(file), tmpl)
		require.NoError(t, err)
		require.Len(t, values, 2000)
		require.Equal(t, "1999.5", values["I1999"], "Vietnamese text: 1999,5")
		require.Equal(t, "1998.5", values["I1998"], "a number cell")
	})
	t.Logf("one read of a %d-byte spreadsheet of 2,000 rows grows the heap by %d MiB", len(file), one>>20)

	const uploads = 10
	limiter := sheets.NewLimiter(sheets.DefaultConcurrentReads)
	var refused, read int
	var mu sync.Mutex
	all := heapGrowth(t, func() {
		var wg sync.WaitGroup
		for i := range uploads {
			wg.Go(func() {
				data := file
				if i == uploads/2 {
					data = bomb
				}
				release, err := limiter.Acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				defer release()
				values, err := sheets.Read(bytes.NewReader(data), tmpl)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case errors.Is(err, sheets.ErrTooLarge):
					refused++
				case err == nil && len(values) == 2000:
					read++
				default:
					t.Errorf("upload %d: %d values, %v", i, len(values), err)
				}
			})
		}
		wg.Wait()
	})
	t.Logf("%d uploads at once, %d at a time, grow the heap by %d MiB", uploads, sheets.DefaultConcurrentReads, all>>20)
	assert.Equal(t, 1, refused, "the zip bomb")
	assert.Equal(t, uploads-1, read)
	assert.Less(t, all, 4*max(one, 8<<20), "%d uploads at once hold about what %d reads hold, not %d times one",
		uploads, sheets.DefaultConcurrentReads, uploads)
}

// heapGrowth runs fn and returns how far the heap in use (HeapInuse: spans
// holding objects) rose above where it stood before, sampled every
// millisecond through runtime/metrics, which does not stop the world.
func heapGrowth(t *testing.T, fn func()) uint64 {
	t.Helper()
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	inUse := func() uint64 {
		metrics.Read(samples)
		return samples[0].Value.Uint64() + samples[1].Value.Uint64()
	}
	runtime.GC()
	base := inUse()
	peak := base
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, inUse())
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	<-sampled
	return peak - base
}

func TestLimiter(t *testing.T) {
	l := sheets.NewLimiter(1)
	release, err := l.Acquire(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err = l.Acquire(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded, "one at a time: the second waits until its caller gives up")
	release()
	release() // a second call does nothing
	again, err := l.Acquire(context.Background())
	require.NoError(t, err)
	again()
	var none *sheets.Limiter
	free, err := none.Acquire(context.Background())
	require.NoError(t, err)
	free()
}
