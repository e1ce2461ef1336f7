package messages

// SheetHeaders are the column headers of a template's XLSX sheet in lang,
// in column order (A to H).
func SheetHeaders(lang Lang) []string {
	keys := []string{"sheet.header.code", "sheet.header.name", "sheet.header.unit", "sheet.header.type",
		"sheet.header.required", "sheet.header.min", "sheet.header.max", "sheet.header.value"}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = Text(lang, k)
	}
	return out
}

// sheetTexts are the words of a template's spreadsheet.
var sheetTexts = map[string]entry{
	"sheet.header.code":     {"Mã chỉ tiêu", "Indicator code"},
	"sheet.header.name":     {"Tên chỉ tiêu", "Indicator"},
	"sheet.header.unit":     {"Đơn vị", "Unit"},
	"sheet.header.type":     {"Kiểu", "Type"},
	"sheet.header.required": {"Bắt buộc", "Required"},
	"sheet.header.min":      {"Tối thiểu", "Min"},
	"sheet.header.max":      {"Tối đa", "Max"},
	"sheet.header.value":    {"Giá trị", "Value"},
	"sheet.template":        {"Mã biểu mẫu", "Template"},
	"sheet.how_to": {"Nhập số liệu vào cột Giá trị (H); số nhập dạng chữ được đọc theo cách viết tiếng Việt: dấu phẩy (,) là dấu thập phân, dấu chấm (.) phân cách hàng nghìn (1.234,5). Không sửa các cột khác.",
		"Fill in the Value column (H); figures typed as text are read the English way: '.' is the decimal point and ',' groups thousands (1,234.5). Do not change the other columns."},
	"sheet.yes":          {"có", "yes"},
	"sheet.no":           {"không", "no"},
	"sheet.not_a_number": {"Không phải số hợp lệ", "Not a valid figure"},
	"sheet.a_number":     {"Nhập một số", "Enter a number"},
	"sheet.whole_number": {"Nhập một số nguyên", "Enter a whole number"},
	"sheet.between":      {"từ %s đến %s", "from %s to %s"},
}
