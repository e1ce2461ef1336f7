// Package agencyfile reads the agency CSV file (code, name_vi, name_en,
// kind, region and optional parent, officer_email, head_email, language) into
// the agencies of the tree: the national root, one agency per region, then the
// rows, each under its parent, region or the root. `rcm agency import` sends
// what it reads to the API; the demo data seeds the database with it. The
// file is read by csvfile, as every CSV from outside: a byte-order mark, ';'
// or tab separators and Excel's "sep=" line are understood, the file is
// bounded, and text that is not UTF-8 is refused naming its line and column.
package agencyfile

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"

	"rcm/csvfile"
	"rcm/reporting"
)

// Columns are the columns the file may have; code, name_vi and kind are
// required.
func Columns() []string {
	return []string{"code", "name_vi", "name_en", "kind", "region", "parent", "officer_email", "head_email", "language"}
}

// Read reads the agency CSV and returns the agencies to store: the root
// rootCode (unless the file has a row of kind national, which then is the
// root), one agency of kind region per distinct region (coded by
// RegionCode) under the root, then the rows in file order. A row with a
// parent stays under it; a row with a region goes under the region; any
// other row goes under the root. Every problem of the file is reported, each
// naming its line.
func Read(r io.Reader, rootCode string) ([]reporting.Agency, error) {
	cr := csvfile.NewReader(r, csvfile.Limits{})
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty; the first line must name the columns code,name_vi,name_en,kind,region")
	}
	if err != nil {
		return nil, err // a *csvfile.Error, naming its line
	}
	col := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(Columns(), name) {
			return nil, fmt.Errorf("line 1: column %q is unknown; the columns are %s", h, strings.Join(Columns(), ", "))
		}
		col[name] = i
	}
	for _, required := range []string{"code", "name_vi", "kind"} {
		if _, ok := col[required]; !ok {
			return nil, fmt.Errorf("line 1: column %s is missing; the first line must name at least code, name_vi and kind", required)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}

	var rows, regions []reporting.Agency
	regionCode := map[string]string{} // name → code
	regionName := map[string]string{} // code → name
	hasNational := false
	var problems []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err // a *csvfile.Error, naming its line
		}
		line := cr.Line()
		a := reporting.Agency{Code: get(rec, "code"), NameVI: get(rec, "name_vi"), NameEN: get(rec, "name_en"), Kind: get(rec, "kind"),
			ParentCode: get(rec, "parent"), OfficerEmail: get(rec, "officer_email"), HeadEmail: get(rec, "head_email"), Language: get(rec, "language")}
		if a.Code == "" && a.NameVI == "" {
			continue
		}
		if a.Code == "" || a.NameVI == "" || a.Kind == "" {
			problems = append(problems, fmt.Sprintf("line %d: code, name_vi and kind are required", line))
			continue
		}
		if a.Kind == "national" {
			hasNational, rootCode = true, a.Code
		}
		if region := get(rec, "region"); region != "" && a.ParentCode == "" {
			code, ok := regionCode[region]
			if !ok {
				code = RegionCode(region)
				if other, taken := regionName[code]; taken {
					problems = append(problems, fmt.Sprintf("line %d: regions %q and %q both abbreviate to %s; give these rows a parent column instead", line, other, region, code))
					continue
				}
				regionCode[region], regionName[code] = code, region
				regions = append(regions, reporting.Agency{Code: code, NameVI: region, Kind: "region"})
			}
			a.ParentCode = code
		}
		rows = append(rows, a)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n  "))
	}
	if len(rows) == 0 {
		return nil, errors.New("the file has no agencies after its header line")
	}
	var out []reporting.Agency
	if !hasNational {
		out = append(out, reporting.Agency{Code: rootCode, NameVI: "Việt Nam", NameEN: "Viet Nam", Kind: "national"})
	}
	for _, reg := range regions {
		reg.ParentCode = rootCode
		out = append(out, reg)
	}
	for _, a := range rows {
		if a.ParentCode == "" && a.Kind != "national" {
			a.ParentCode = rootCode
		}
		out = append(out, a)
	}
	return out, nil
}

// RegionCode makes the code of a region from its name: "R-" and the
// initial of each word, without diacritics ("Đồng bằng sông Hồng" → R-DBSH,
// "Tây Nguyên" → R-TN).
func RegionCode(name string) string {
	var b strings.Builder
	b.WriteString("R-")
	for _, word := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		first := []rune(word)[0]
		b.WriteRune(unicode.ToUpper(foldVietnamese(first)))
	}
	return b.String()
}

// foldVietnamese maps a Vietnamese letter to its base Latin letter.
func foldVietnamese(r rune) rune {
	lower := unicode.ToLower(r)
	switch {
	case strings.ContainsRune("àáảãạăằắẳẵặâầấẩẫậ", lower):
		return 'a'
	case lower == 'đ':
		return 'd'
	case strings.ContainsRune("èéẻẽẹêềếểễệ", lower):
		return 'e'
	case strings.ContainsRune("ìíỉĩị", lower):
		return 'i'
	case strings.ContainsRune("òóỏõọôồốổỗộơờớởỡợ", lower):
		return 'o'
	case strings.ContainsRune("ùúủũụưừứửữự", lower):
		return 'u'
	case strings.ContainsRune("ỳýỷỹỵ", lower):
		return 'y'
	}
	return r
}
