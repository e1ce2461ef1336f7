package cli

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"

	ucli "github.com/urfave/cli/v2"

	"rcm/api"
	"rcm/messages"
)

// receiptCommand checks receipts.
func receiptCommand() *ucli.Command {
	return &ucli.Command{
		Name:  "receipt",
		Usage: "check a receipt against the file that was submitted",
		Subcommands: []*ucli.Command{{
			Name:      "verify",
			Usage:     "say whether a file is the report a receipt proves, or which values differ",
			UsageText: "rcm receipt verify RECEIPT --file REPORT.csv|REPORT.xlsx|REPORT.json",
			Description: `Sends the file to the server, which reads it with the cycle's template as
at submission and compares it with the version the receipt names: the
content hash (SHA-256 of the normalised values and the narrative) and each
value. Exits 0 when they match, 1 with the differing values listed when
they do not. A JSON file is the body of a submission ({"values": {...},
"narrative": "..."}).

Examples:
   rcm receipt verify KTXH_THANG-2026-10-HNI-v1-K7Q2M4XP9A --file bao-cao-thang-10.xlsx
   rcm receipt verify KTXH_THANG-2026-10-HNI-v2-3JD8WQZ2TA --file hni.json --output json`,
			Flags: append(clientFlags(),
				&ucli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "the file that was submitted: .csv, .xlsx or .json (\"-\": standard input) (required)"},
				outputFlag(),
			),
			Action: verifyReceipt,
		}},
	}
}

func verifyReceipt(c *ucli.Context) error {
	if c.NArg() != 1 {
		return usageError("receipt verify: give one receipt number, such as KTXH_THANG-2026-10-HNI-v1-K7Q2M4XP9A")
	}
	if err := requireFlags(c, "file"); err != nil {
		return err
	}
	number, file := c.Args().First(), c.String("file")
	var body []byte
	var contentType string
	var err error
	if strings.EqualFold(filepath.Ext(file), ".json") {
		body, err = readFileFlag(c, file)
		contentType = "application/json"
	} else {
		body, contentType, err = readReportFile(c, file)
	}
	if err != nil {
		return err
	}
	cl, err := newClient(c)
	if err != nil {
		return err
	}
	var check api.ReceiptCheck
	path := "/api/v1/receipts/" + pathEscape(number) + "/verify"
	if err := cl.doRaw(c.Context, http.MethodPost, path, bytes.NewReader(body), contentType, &check); err != nil {
		return err
	}
	rc := check.Receipt
	if f := c.String("output"); f != outputTable && f != "" {
		if err := printRecords(c, records{JSON: check}); err != nil {
			return err
		}
	} else {
		verdict := messages.Both("cli.match")
		if !check.Match {
			verdict = messages.Both("cli.no_match")
		}
		fields := []field{{"receipt", rc.Number}, {"cycle", rc.CycleID}, {"agency", rc.AgencyCode}, {"version", itoa(rc.Version)},
			{"submitted_at", formatVN(rc.SubmittedAt)}, {"stored_hash", rc.ContentHash}, {"file_hash", check.FileHash}, {"result", verdict}}
		if err := printRecord(c, fields, check); err != nil {
			return err
		}
		if len(check.Differences) > 0 {
			rows := make([][]string, len(check.Differences))
			for i, d := range check.Differences {
				rows[i] = []string{d.Field, d.Stored, d.Submitted}
			}
			if err := printRecords(c, records{Header: []string{"field", "stored", "file"}, Rows: rows}); err != nil {
				return err
			}
		}
	}
	if !check.Match {
		return &ExitError{Code: ExitFailure, Err: errors.New(mismatchMessage(number, check.Differences))}
	}
	return nil
}

// mismatchMessage names the receipt and the fields that differ.
func mismatchMessage(number string, diffs []api.Difference) string {
	names := make([]string, len(diffs))
	for i, d := range diffs {
		names[i] = d.Field
	}
	return fmt.Sprintf("the file is not the report of receipt %s: %s differ", number, strings.Join(names, ", "))
}
