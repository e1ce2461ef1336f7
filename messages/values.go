package messages

import "rcm/reporting"

// valueTexts are the reasons a submitted figure is refused, for the person
// who filled in the form. A value problem (reporting.FieldError with an
// Indicator) takes the indicator, the limit and the code (%[1]s, %[2]s,
// %[3]s); a figure that does not read (reporting.NumberError) takes the
// figure as written first.
var valueTexts = map[string]entry{
	"value." + reporting.FieldRequired: {"Chỉ tiêu %[1]s: bắt buộc, chưa nhập giá trị.",
		"Indicator %[1]s: required, but no value was given."},
	"value." + reporting.FieldNotANumber: {"Chỉ tiêu %[1]s: giá trị không phải là số; nhập số như 1234.5.",
		"Indicator %[1]s: the value is not a number; write a number such as 1234.5."},
	"value." + reporting.FieldDecimalComma: {"Chỉ tiêu %[1]s: dùng dấu chấm (.) làm dấu thập phân và không dùng dấu phân cách hàng nghìn, ví dụ 1234.5.",
		"Indicator %[1]s: use '.' as the decimal point and no thousands separators, for example 1234.5."},
	"value." + reporting.FieldNotAnInteger: {"Chỉ tiêu %[1]s: phải là số nguyên.",
		"Indicator %[1]s: must be a whole number."},
	"value." + reporting.FieldBelowMin: {"Chỉ tiêu %[1]s: giá trị nhỏ hơn mức tối thiểu %[2]s.",
		"Indicator %[1]s: the value is below the minimum of %[2]s."},
	"value." + reporting.FieldAboveMax: {"Chỉ tiêu %[1]s: giá trị lớn hơn mức tối đa %[2]s.",
		"Indicator %[1]s: the value is above the maximum of %[2]s."},
	"value." + reporting.FieldUnknownIndicator: {"Chỉ tiêu %[1]s không có trong biểu mẫu.",
		"Indicator %[1]s is not in the template."},
	"value." + reporting.FieldTooLong: {"Chỉ tiêu %[1]s: dài quá %[2]s ký tự.",
		"Indicator %[1]s: longer than %[2]s characters."},
	"value." + reporting.FieldInvalidText: {"Chỉ tiêu %[1]s: văn bản chứa ký tự không hợp lệ.",
		"Indicator %[1]s: the text holds characters that are not valid text."},
	"value.invalid": {"Chỉ tiêu %[1]s: giá trị không hợp lệ (%[3]s).",
		"Indicator %[1]s: invalid value (%[3]s)."},

	"number.too_long": {"số dài quá %s ký tự.", "the number is longer than %s characters."},
	"number.decimal_comma": {"%s có dấu phẩy: dùng dấu chấm (.) làm dấu thập phân và không dùng dấu phân cách hàng nghìn, ví dụ 1234.5.",
		"%s has a ',': use '.' as the decimal point and no thousands separators, for example 1234.5."},
	"number.ambiguous_vi": {"%s không đọc được chắc chắn theo cách viết số tiếng Việt: dấu phẩy (,) là dấu thập phân (12,5), dấu chấm (.) phân cách hàng nghìn theo từng nhóm ba chữ số (12.000).",
		"%s cannot be read for sure in Vietnamese notation: ',' is the decimal mark (12,5) and '.' groups thousands in threes (12.000)."},
	"number.ambiguous_en": {"%s không đọc được chắc chắn theo cách viết số tiếng Anh: dấu chấm (.) là dấu thập phân (12.5), dấu phẩy (,) phân cách hàng nghìn theo từng nhóm ba chữ số (12,000).",
		"%s cannot be read for sure in English notation: '.' is the decimal point (12.5) and ',' groups thousands in threes (12,000)."},
	// The figure, then its two readings, each twice.
	"number.two_readings": {"%s có thể hiểu là %s hoặc %s mà không có gì cho biết là cách nào; hãy viết %s hoặc %s, không dùng dấu phân cách hàng nghìn.",
		"%s could be read as %s or as %s, and nothing says which; write %s or %s, without thousands separators."},
	// The figure, then an example in the notation.
	"number.not_a_number": {"%s không phải là số; nhập số như %s.", "%s is not a number; write a number such as %s."},
	// The indicator, then one of the reasons above.
	"number.of_indicator": {"Chỉ tiêu %s: %s", "Indicator %s: %s"},
}

// FieldReason is the reason of a refused field for a person in lang: for a
// figure that does not read (Number set), NumberReason; for a reason with a
// Key, the catalogue's text of it with Args; for a problem with a submitted
// value (Indicator set), a sentence naming the indicator and the limit; for
// any other field its Reason, written once.
func FieldReason(lang Lang, e reporting.FieldError) string {
	switch {
	case e.Number != nil:
		return NumberReason(lang, e.Number)
	case e.Key != "":
		return Text(lang, e.Key, e.Args...)
	case e.Indicator == "":
		return e.Reason
	}
	key := "value." + e.Code
	if !Has(key) {
		key = "value.invalid"
	}
	return Text(lang, key, e.Indicator, e.Limit, e.Code)
}

// NumberReason says in lang what is wrong with a figure that does not read
// in its notation and how to write it, naming the indicator when the error
// does.
func NumberReason(lang Lang, e *reporting.NumberError) string {
	text := "“" + e.Text + "”"
	var reason string
	switch {
	case e.Code == reporting.FieldTooLong:
		reason = Text(lang, "number.too_long", e.Limit)
	case e.Code == reporting.FieldDecimalComma:
		reason = Text(lang, "number.decimal_comma", text)
	case e.Code == reporting.FieldAmbiguousNumber && e.Notation == reporting.NotationVI:
		reason = Text(lang, "number.ambiguous_vi", text)
	case e.Code == reporting.FieldAmbiguousNumber && e.Notation == reporting.NotationEN:
		reason = Text(lang, "number.ambiguous_en", text)
	case e.Code == reporting.FieldAmbiguousNumber && len(e.Readings) == 2:
		a, b := e.Readings[0], e.Readings[1]
		reason = Text(lang, "number.two_readings", text, a, b, a, b)
	default:
		reason = Text(lang, "number.not_a_number", text, e.Notation.Example())
	}
	if e.Indicator == "" {
		return reason
	}
	return Text(lang, "number.of_indicator", e.Indicator, reason)
}
