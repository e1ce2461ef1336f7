package messages

import "strconv"

// ProblemTitleKey is the catalogue's key of the title of a problem of HTTP
// status code status ("problem.title.404"); Has says whether there is one.
func ProblemTitleKey(status int) string { return "problem.title." + strconv.Itoa(status) }

// problemTexts are the words of the API's problems that have a Vietnamese
// version: the titles by status (an English answer keeps the title of the
// problem it reports, more precise than these) and the detail of refused
// indicators.
var problemTexts = map[string]entry{
	ProblemTitleKey(400): {"Yêu cầu không hợp lệ", "Bad request"},
	ProblemTitleKey(401): {"Cần đăng nhập", "Sign-in required"},
	ProblemTitleKey(403): {"Không có quyền", "Forbidden"},
	ProblemTitleKey(404): {"Không tìm thấy", "Not found"},
	ProblemTitleKey(405): {"Phương thức không được hỗ trợ", "Method not allowed"},
	ProblemTitleKey(409): {"Xung đột với trạng thái hiện tại", "Conflict with the current state"},
	ProblemTitleKey(413): {"Nội dung quá lớn", "Content too large"},
	ProblemTitleKey(415): {"Định dạng nội dung không được hỗ trợ", "Unsupported media type"},
	ProblemTitleKey(422): {"Có mục chưa hợp lệ", "Some fields are refused"},
	ProblemTitleKey(429): {"Quá nhiều yêu cầu", "Too many requests"},
	ProblemTitleKey(500): {"Lỗi máy chủ", "Server error"},
	ProblemTitleKey(503): {"Tạm thời chưa sẵn sàng", "Unavailable for now"},

	"problem.indicators_refused": {"một số chỉ tiêu chưa hợp lệ; sửa các chỉ tiêu được nêu rồi gửi lại",
		"some fields are refused; correct them and send the request again"},
}
