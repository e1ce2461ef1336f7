package demo

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// CredentialsFileName is the name of the credentials file in rcm's data
// folder.
const CredentialsFileName = "demo-credentials.txt"

// TokenCommand is a shell command that reads the token of the first holder
// of role ("staff", "officer", "supervisor") from the credentials file at
// path without showing it: $(awk '$1=="staff" {print $4; exit}' FILE).
func TokenCommand(path, role string) string {
	return fmt.Sprintf(`$(awk '$1=="%s" {print $4; exit}' %s)`, role, shellQuote(path))
}

// passwordLine starts the line of a user's password in the credentials file.
const passwordLine = "password"

// PasswordOf returns the demo password of the user with the e-mail address.
func (c Credentials) PasswordOf(email string) string { return c.Passwords[email] }

// newPassword draws a demo user's password: 16 characters of 96 random bits.
func newPassword() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("demo password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// readPasswords reads the users' passwords of an earlier credentials file at
// path, by e-mail address; a missing file (or path "") knows none.
func readPasswords(path string) (map[string]string, error) {
	out := map[string]string{}
	if path == "" {
		return out, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("demo credentials file: %w", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == passwordLine {
			out[f[1]] = f[2]
		}
	}
	return out, nil
}

// writeCredentials writes the credentials file: comments on how to sign in,
// then one line per token, "ROLE AGENCY EMAIL TOKEN" ("-" for no agency),
// then one per user, "password EMAIL PASSWORD".
// The file is private to its owner (0600) and replaced whole, so a reader
// never sees half of it.
func writeCredentials(path string, o Options, c Credentials, now time.Time) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("demo credentials file: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# rcm demo credentials, written %s. Keep this file private: it holds API tokens.\n", now.Format(time.RFC3339))
	fmt.Fprintf(&b, "# Seeding the demo again revokes these tokens and writes new ones here.\n#\n")
	fmt.Fprintf(&b, "# Each demo user signs in to the web with a password of its own, on the lines\n")
	fmt.Fprintf(&b, "# \"password EMAIL PASSWORD\" at the end (seeding again keeps them):\n")
	fmt.Fprintf(&b, "#   office staff:          %s\n", o.StaffEmail())
	fmt.Fprintf(&b, "#   officers:              %s, %s, ... (vanphong.<agency code>@%s, every province and city)\n",
		o.OfficerEmail("HNI"), o.OfficerEmail("HCM"), o.Domain)
	fmt.Fprintf(&b, "#   regional supervisors:  %s, ... (giamsat.<region code>@%s)\n", o.SupervisorEmail("R-DBSH"), o.Domain)
	fmt.Fprintf(&b, "#   national supervisor:   %s\n", o.SupervisorEmail(RootCode))
	fmt.Fprintf(&b, "# Agencies' heads receive escalations at lanhdao.<agency code>@%s.\n#\n", o.Domain)
	fmt.Fprintf(&b, "# API tokens, one a line: ROLE AGENCY EMAIL TOKEN. To use the staff token:\n")
	fmt.Fprintf(&b, "#   export RCM_TOKEN=%s\n", TokenCommand(path, "staff"))
	tw := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	for _, t := range c.Tokens {
		agency := t.AgencyCode
		if agency == "" {
			agency = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Role, agency, t.Email, t.Token)
	}
	emails := make([]string, 0, len(c.Passwords))
	for email := range c.Passwords {
		emails = append(emails, email)
	}
	sort.Strings(emails)
	for _, email := range emails {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", passwordLine, email, c.Passwords[email])
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("demo credentials file: %w", err)
	}

	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("demo credentials file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("demo credentials file: %w", err)
	}
	if _, err := tmp.WriteString(b.String()); err != nil {
		tmp.Close()
		return fmt.Errorf("demo credentials file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("demo credentials file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("demo credentials file: %w", err)
	}
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+=:,@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
