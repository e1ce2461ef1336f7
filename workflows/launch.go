package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"rcm/activities"
)

// ScheduledLaunchWorkflow is what a regime's Temporal Schedule starts: it
// launches the cycle of the period that starts now, exactly as office staff
// would with `rcm cycle launch`. Launching twice is harmless: the second
// attempt finds the cycle already launched.
func ScheduledLaunchWorkflow(ctx workflow.Context, input ScheduledLaunchInput) (activities.LaunchScheduledResult, error) {
	if input.RegimeCode == "" {
		return activities.LaunchScheduledResult{}, temporal.NewNonRetryableApplicationError("scheduled launch: RegimeCode is empty", "InvalidInput", nil)
	}
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        5 * time.Minute,
			MaximumAttempts:        50,
			NonRetryableErrorTypes: []string{"InvalidInput"},
		},
	})
	in := activities.LaunchScheduledInput{RegimeCode: input.RegimeCode, At: workflow.Now(ctx)}
	var a *activities.Activities
	var res activities.LaunchScheduledResult
	if err := workflow.ExecuteActivity(ctx, a.LaunchScheduledCycle, in).Get(ctx, &res); err != nil {
		return activities.LaunchScheduledResult{}, fmt.Errorf("launch scheduled cycle of regime %s: %w", input.RegimeCode, err)
	}
	workflow.GetLogger(ctx).Info("Scheduled launch", "Regime", input.RegimeCode, "CycleID", res.CycleID, "AlreadyLaunched", res.AlreadyLaunched)
	return res, nil
}
