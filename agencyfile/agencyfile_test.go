package agencyfile

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadTheReferenceFile(t *testing.T) {
	f, err := os.Open("../demo/data/vn-agencies-2025.csv")
	require.NoError(t, err)
	defer f.Close()
	agencies, err := Read(f, "VN")
	require.NoError(t, err)
	require.Len(t, agencies, 1+6+34+17)

	assert.Equal(t, "VN", agencies[0].Code)
	assert.Equal(t, "national", agencies[0].Kind)
	assert.Empty(t, agencies[0].ParentCode)
	parent := map[string]string{}
	for _, a := range agencies {
		parent[a.Code] = a.ParentCode
	}
	assert.Equal(t, "VN", parent["R-DBSH"])
	assert.Equal(t, "R-DBSH", parent["HNI"])
	assert.Equal(t, "R-DBSCL", parent["CTO"])
	assert.Equal(t, "VN", parent["BTC"], "ministries have no region and go under the root")
}

func TestReadPlacesRowsUnderParentRegionOrRoot(t *testing.T) {
	agencies, err := Read(strings.NewReader("\ufeffcode,name_vi,kind,region,parent\n"+
		"ROOT,Cả nước,national,,\n"+
		"HNI,Hà Nội,city,Đồng bằng sông Hồng,\n"+
		"HNI-SYT,Sở Y tế Hà Nội,department,Đồng bằng sông Hồng,HNI\n"+
		"BYT,Bộ Y tế,ministry,,\n"), "VN")
	require.NoError(t, err)
	got := map[string]string{}
	for _, a := range agencies {
		got[a.Code] = a.ParentCode
	}
	assert.Equal(t, map[string]string{"R-DBSH": "ROOT", "ROOT": "", "HNI": "R-DBSH", "HNI-SYT": "HNI", "BYT": "ROOT"}, got)
}

func TestReadNamesTheProblem(t *testing.T) {
	tests := []struct{ name, content, want string }{
		{"empty", "", "the file is empty"},
		{"unknown column", "code,name_vi,kind,colour\n", `column "colour" is unknown`},
		{"missing column", "code,name_vi\n", "column kind is missing"},
		{"missing kind", "code,name_vi,kind\nHNI,Hà Nội,\n", "line 2: code, name_vi and kind are required"},
		{"no rows", "code,name_vi,kind\n", "no agencies"},
		{"regions that abbreviate alike", "code,name_vi,kind,region\nA,A,city,Tây Nguyên\nB,B,city,Tây Ninh\n", "both abbreviate to R-TN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.content), "VN")
			require.ErrorContains(t, err, tt.want)
		})
	}
}

func TestRegionCode(t *testing.T) {
	assert.Equal(t, "R-DBSH", RegionCode("Đồng bằng sông Hồng"))
	assert.Equal(t, "R-BTBVDHMT", RegionCode("Bắc Trung Bộ và duyên hải miền Trung"))
	assert.Equal(t, "R-AOI", RegionCode("Ấp Ông Ích"))
}

// TestReadAsSpreadsheetsSaveIt: the agency file is read like every CSV
// from outside: ';' between columns, Excel's sep= line, and a clear error
// naming line and column for text that is not UTF-8.
func TestReadAsSpreadsheetsSaveIt(t *testing.T) {
	agencies, err := Read(strings.NewReader("sep=;\r\ncode;name_vi;kind;region\r\nHNI;Hà Nội;city;Đồng bằng sông Hồng\r\n"), "VN")
	require.NoError(t, err)
	require.Len(t, agencies, 3)
	assert.Equal(t, "Hà Nội", agencies[2].NameVI)
	assert.Equal(t, "R-DBSH", agencies[2].ParentCode)

	_, err = Read(strings.NewReader("code,name_vi,kind\nHNI,H\xe0 N\xf4i,city\n"), "VN")
	require.ErrorContains(t, err, "line 2, column 2 (name_vi): not UTF-8 text")
	_, err = Read(strings.NewReader("code,name_vi,kind\nHNI,\"Hà Nội,city\n"), "VN")
	require.ErrorContains(t, err, "line 2: not CSV")
}
