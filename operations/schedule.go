package operations

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"rcm/workflows"
)

// ScheduleOptions says at what time of the launch day a regime's cycles start.
type ScheduleOptions struct {
	Hour   int
	Minute int
}

// Schedule is a regime's Temporal Schedule as rcm shows it.
type Schedule struct {
	RegimeCode string
	ScheduleID string
	Paused     bool
	Note       string
	NextRuns   []string
}

// ScheduleRegime puts a regime on a Temporal Schedule that launches each of
// its cycles on the day its data window opens, at the given time in the
// regime's zone.
func (e *Engine) ScheduleRegime(ctx context.Context, c Caller, regimeCode string, opts ScheduleOptions) (Schedule, error) {
	if err := e.Authorize(c, OpManageSchedule); err != nil {
		return Schedule{}, err
	}
	if opts.Hour < 0 || opts.Hour > 23 {
		return Schedule{}, invalid("hour", "must be 0..23")
	}
	if opts.Minute < 0 || opts.Minute > 59 {
		return Schedule{}, invalid("minute", "must be 0..59")
	}
	regime, err := e.store.RegimeRules(ctx, regimeCode)
	if err != nil {
		return Schedule{}, err
	}
	months, day := regime.Windows.ScheduleDays(regime.Cadence)
	if len(months) == 0 {
		return Schedule{}, invalid("regime", fmt.Sprintf("regime %s has cadence %s; launch its cycles with `rcm cycle launch`", regimeCode, regime.Cadence))
	}
	monthRanges := make([]client.ScheduleRange, len(months))
	for i, m := range months {
		monthRanges[i] = client.ScheduleRange{Start: int(m)}
	}
	id := workflows.ScheduleID(regimeCode)
	_, err = e.temporal.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: id,
		Spec: client.ScheduleSpec{
			Calendars: []client.ScheduleCalendarSpec{{
				Second:     []client.ScheduleRange{{Start: 0}},
				Minute:     []client.ScheduleRange{{Start: opts.Minute}},
				Hour:       []client.ScheduleRange{{Start: opts.Hour}},
				DayOfMonth: []client.ScheduleRange{{Start: day}},
				Month:      monthRanges,
				Comment:    fmt.Sprintf("%s: the day each %s data window opens", regimeCode, regime.Cadence),
			}},
			TimeZoneName: regime.TimeZone,
		},
		Action: &client.ScheduleWorkflowAction{
			ID:        "launch/" + regimeCode,
			Workflow:  workflows.ScheduledLaunchWorkflow,
			Args:      []any{workflows.ScheduledLaunchInput{RegimeCode: regimeCode}},
			TaskQueue: e.taskQueue,
		},
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Note:    "created by " + c.Email,
	})
	var exists *serviceerror.AlreadyExists
	if errors.As(err, &exists) || errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return Schedule{}, fmt.Errorf("regime %s is already scheduled; delete the schedule first to change it: %w", regimeCode, ErrConflict)
	}
	if err != nil {
		return Schedule{}, fmt.Errorf("schedule regime %s: %v: %w", regimeCode, err, ErrUnavailable)
	}
	return e.DescribeSchedule(ctx, c, regimeCode)
}

// DescribeSchedule shows a regime's schedule and its next launches.
func (e *Engine) DescribeSchedule(ctx context.Context, c Caller, regimeCode string) (Schedule, error) {
	if err := e.Authorize(c, OpReadSchedules); err != nil {
		return Schedule{}, err
	}
	h := e.temporal.ScheduleClient().GetHandle(ctx, workflows.ScheduleID(regimeCode))
	d, err := h.Describe(ctx)
	if err != nil {
		return Schedule{}, scheduleError(regimeCode, err)
	}
	s := Schedule{RegimeCode: regimeCode, ScheduleID: h.GetID(), Paused: d.Schedule.State.Paused, Note: d.Schedule.State.Note}
	loc := locationOr(d.Schedule.Spec.TimeZoneName)
	for _, t := range d.Info.NextActionTimes {
		s.NextRuns = append(s.NextRuns, t.In(loc).Format("02/01/2006 15:04 -07:00"))
	}
	return s, nil
}

// PauseSchedule stops a regime's automatic launches until resumed.
func (e *Engine) PauseSchedule(ctx context.Context, c Caller, regimeCode, note string) error {
	if err := e.Authorize(c, OpManageSchedule); err != nil {
		return err
	}
	h := e.temporal.ScheduleClient().GetHandle(ctx, workflows.ScheduleID(regimeCode))
	return scheduleError(regimeCode, h.Pause(ctx, client.SchedulePauseOptions{Note: note}))
}

// ResumeSchedule restarts a paused regime's automatic launches.
func (e *Engine) ResumeSchedule(ctx context.Context, c Caller, regimeCode, note string) error {
	if err := e.Authorize(c, OpManageSchedule); err != nil {
		return err
	}
	h := e.temporal.ScheduleClient().GetHandle(ctx, workflows.ScheduleID(regimeCode))
	return scheduleError(regimeCode, h.Unpause(ctx, client.ScheduleUnpauseOptions{Note: note}))
}

// DeleteSchedule removes a regime's schedule; launched cycles go on.
func (e *Engine) DeleteSchedule(ctx context.Context, c Caller, regimeCode string) error {
	if err := e.Authorize(c, OpManageSchedule); err != nil {
		return err
	}
	h := e.temporal.ScheduleClient().GetHandle(ctx, workflows.ScheduleID(regimeCode))
	return scheduleError(regimeCode, h.Delete(ctx))
}

// ListSchedules lists every regime's schedule.
func (e *Engine) ListSchedules(ctx context.Context, c Caller) ([]Schedule, error) {
	if err := e.Authorize(c, OpReadSchedules); err != nil {
		return nil, err
	}
	iter, err := e.temporal.ScheduleClient().List(ctx, client.ScheduleListOptions{PageSize: 100})
	if err != nil {
		return nil, fmt.Errorf("list schedules: %v: %w", err, ErrUnavailable)
	}
	var out []Schedule
	for iter.HasNext() {
		entry, err := iter.Next()
		if err != nil {
			return nil, fmt.Errorf("list schedules: %v: %w", err, ErrUnavailable)
		}
		const prefix = "regime/"
		if len(entry.ID) <= len(prefix) || entry.ID[:len(prefix)] != prefix {
			continue
		}
		s := Schedule{RegimeCode: entry.ID[len(prefix):], ScheduleID: entry.ID, Paused: entry.Paused, Note: entry.Note}
		for _, t := range entry.NextActionTimes {
			s.NextRuns = append(s.NextRuns, t.Format("02/01/2006 15:04 -07:00"))
		}
		out = append(out, s)
	}
	return out, nil
}

func scheduleError(regimeCode string, err error) error {
	if err == nil {
		return nil
	}
	var nf *serviceerror.NotFound
	if errors.As(err, &nf) {
		return fmt.Errorf("regime %s has no schedule: %w", regimeCode, ErrNotFound)
	}
	return fmt.Errorf("schedule of regime %s: %v: %w", regimeCode, err, ErrUnavailable)
}
