package systemtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"rcm/operations"
	"rcm/reporting"
	"rcm/store"
	"rcm/workflows"
)

// TestAnAgencyWithoutAnAddressIsReportedToTheOffice: its notices are
// recorded as skipped, the waves go on for the others, and the office's
// summary at close names it.
func TestAnAgencyWithoutAnAddressIsReportedToTheOffice(t *testing.T) {
	w := newWorld(t, 50)
	w.SeedTree(map[string][]string{"NORTH": {"P01", "P02", "P03"}})
	_, _, err := w.Engine.ImportAgencies(w.Ctx, w.Staff, []reporting.Agency{{Code: "P02", ParentCode: "NORTH", NameVI: "Tỉnh P02", NameEN: "Province P02", Kind: "province"}})
	require.NoError(t, err)
	w.SeedRegime("NOADDR", []string{"P01", "P02", "P03"}, reporting.Policy{ReviewTime: time.Hour, CloseAfter: 2 * time.Second})
	due := time.Now().Add(3 * time.Second).Truncate(time.Second)
	cyc, err := w.Engine.Launch(w.Ctx, w.Staff, operations.LaunchRequest{RegimeCode: "NOADDR", Period: "2026-10", Due: &due})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(w.Ctx, time.Minute)
	defer cancel()
	require.NoError(t, temporal.Client().GetWorkflow(ctx, workflows.CycleWorkflowID(cyc.ID), "").Get(ctx, nil))

	skipped, err := w.Store.ListNotifications(w.Ctx, store.NotificationFilter{CycleID: cyc.ID, Status: reporting.NotificationSkipped})
	require.NoError(t, err)
	var kinds []string
	for _, n := range skipped {
		assert.Equal(t, "P02", n.Key.Subject)
		kinds = append(kinds, string(n.Key.Kind))
	}
	assert.ElementsMatch(t, []string{"deadline_notice", "overdue"}, kinds)
	var summary string
	for _, m := range w.SMTP.Messages() {
		if len(m.To) == 1 && m.To[0] == "staff@office.test" && strings.Contains(m.Subject(), "Kết quả nộp báo cáo") {
			summary, err = m.Text()
			require.NoError(t, err)
		}
	}
	require.NotEmpty(t, summary, "the office got its summary")
	assert.Contains(t, summary, "chưa có địa chỉ thư điện tử hợp lệ")
	assert.Contains(t, summary, "Tỉnh P02")
}
