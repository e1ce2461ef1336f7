package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"rcm/reporting"
	"rcm/store"
)

// TestAPortionsMarkRecordsThePreviousPortionSent: a lane marks its next
// portion 'sending' and records its previous portion sent in one
// transaction; a message another attempt already took is left out of the
// marked, and recording needs no portion after it.
func TestAPortionsMarkRecordsThePreviousPortionSent(t *testing.T) {
	s := crudStore(t)
	ctx := context.Background()
	insertOctoberCycle(t, s, nil)
	var batch []store.NewNotification
	for i := range 6 {
		key := reporting.NotificationKey{CycleID: "KTXH_THANG-2026-10", Subject: fmt.Sprintf("A%02d", i), Kind: reporting.EventDeadlineNotice}
		batch = append(batch, store.NewNotification{Key: key, Recipients: []string{"x@example.vn"}, Language: "vi", MessageID: fmt.Sprintf("<%d@rcm.test>", i)})
	}
	claims, err := s.ClaimNotifications(ctx, batch)
	require.NoError(t, err)
	require.Len(t, claims, 6)
	id := func(i int) int64 { return claims[i].ID }
	status := func() map[int64]reporting.NotificationStatus {
		out := map[int64]reporting.NotificationStatus{}
		ns, err := s.ListNotifications(ctx, store.NotificationFilter{CycleID: "KTXH_THANG-2026-10", Limit: 100})
		require.NoError(t, err)
		for _, n := range ns {
			out[n.ID] = n.Status
		}
		return out
	}

	took, err := s.MarkNotificationsSending(ctx, []int64{id(0), id(1)}, nil)
	require.NoError(t, err)
	require.ElementsMatch(t, []int64{id(0), id(1)}, took)

	// Another attempt took message 3 meanwhile.
	_, err = s.MarkNotificationsSending(ctx, []int64{id(3)}, nil)
	require.NoError(t, err)
	now := time.Now()
	took, err = s.MarkNotificationsSending(ctx, []int64{id(2), id(3)}, []store.SentMark{{ID: id(0), At: now}, {ID: id(1), At: now}})
	require.NoError(t, err)
	require.Equal(t, []int64{id(2)}, took, "message 3 is the other attempt's")
	st := status()
	require.Equal(t, reporting.NotificationSent, st[id(0)])
	require.Equal(t, reporting.NotificationSent, st[id(1)])
	require.Equal(t, reporting.NotificationSending, st[id(2)])

	// The lane's last portion is recorded on its own.
	require.NoError(t, s.MarkNotificationsSent(ctx, []store.SentMark{{ID: id(2), At: now}}))
	require.Equal(t, reporting.NotificationSent, status()[id(2)])
	require.Equal(t, reporting.NotificationClaimed, status()[id(4)])
}

// TestALevelsWaveCountsOnlyItsOwnMessages: in a two-tier cycle whose levels
// have ladders of their own, the reminders of step 1 of each level — to the
// level's agencies and its supervisors' digests — are counted for that level
// only; without a level every one counts.
func TestALevelsWaveCountsOnlyItsOwnMessages(t *testing.T) {
	ctx := context.Background()
	s := tierStore(t)
	c, _, _ := openTwoTierCycle(t, s)
	claim := func(kind reporting.Event, subjects ...string) {
		var batch []store.NewNotification
		for _, subject := range subjects {
			key := reporting.NotificationKey{CycleID: c.ID, Subject: subject, Kind: kind, Step: 1}
			batch = append(batch, store.NewNotification{Key: key, Recipients: []string{"x@example.vn"}, Language: "vi", MessageID: "<" + subject + "@rcm.test>"})
		}
		claims, err := s.ClaimNotifications(ctx, batch)
		require.NoError(t, err)
		var marks []store.SentMark
		for _, cl := range claims {
			marks = append(marks, store.SentMark{ID: cl.ID, At: time.Now()})
		}
		require.NoError(t, s.MarkNotificationsSent(ctx, marks))
	}
	claim(reporting.EventReminder, "HNI-SYT", "HNI", "HPG")
	claim(reporting.EventEscalationDigest, "R-DBSH/u7/level1", "R-DBSH/u7/level2", "VN/u9/level2")
	kinds := []reporting.Event{reporting.EventReminder, reporting.EventEscalationDigest}

	for tier, want := range map[int]int{0: 6, 1: 2, 2: 4} {
		counts, err := s.LevelNotificationCounts(ctx, c.ID, kinds, 1, tier)
		require.NoError(t, err)
		require.Equal(t, map[reporting.NotificationStatus]int{reporting.NotificationSent: want}, counts, "level %d", tier)
	}
}
