package web

import (
	"net/http"

	"rcm/api"
)

// Problems in the reader's language: a client that asks for Vietnamese
// (Accept-Language, or ?lang=vi) gets the title and the detail of a problem
// in Vietnamese, so that a page showing it shows one language; reasons of
// refused figures are already written in the asked language. Without the
// header the API answers in English, as it always has.

// problemTitles are the Vietnamese titles of problems, by status.
var problemTitles = map[int]string{
	http.StatusBadRequest:            "Yêu cầu không hợp lệ",
	http.StatusUnauthorized:          "Cần đăng nhập",
	http.StatusForbidden:             "Không có quyền",
	http.StatusNotFound:              "Không tìm thấy",
	http.StatusMethodNotAllowed:      "Phương thức không được hỗ trợ",
	http.StatusConflict:              "Xung đột với trạng thái hiện tại",
	http.StatusRequestEntityTooLarge: "Nội dung quá lớn",
	http.StatusUnsupportedMediaType:  "Định dạng nội dung không được hỗ trợ",
	http.StatusUnprocessableEntity:   "Có mục chưa hợp lệ",
	http.StatusTooManyRequests:       "Quá nhiều yêu cầu",
	http.StatusInternalServerError:   "Lỗi máy chủ",
	http.StatusServiceUnavailable:    "Tạm thời chưa sẵn sàng",
}

// askedLang is the language a request asks for explicitly: ?lang=, else
// the Accept-Language header; "" when it asks for neither vi nor en.
func askedLang(r *http.Request) string {
	if r == nil {
		return ""
	}
	if l := r.URL.Query().Get("lang"); l == "vi" || l == "en" {
		return l
	}
	return acceptLanguage(r.Header.Get("Accept-Language"))
}

// localizeProblem writes p for a reader of lang.
func localizeProblem(lang string, p api.Problem) api.Problem {
	if lang != "vi" {
		return p
	}
	if title, ok := problemTitles[p.Status]; ok {
		p.Title = title
	}
	switch {
	case p.Status == http.StatusUnprocessableEntity:
		p.Detail = translate(lang, "problem_422")
	case p.Status == http.StatusUnauthorized && p.Instance == "/api/v1/session":
		p.Detail = translate(lang, "signin_wrong") // a refused sign-in, not an ended session
	default:
		p.Detail = pageMessage(lang, p)
	}
	return p
}
