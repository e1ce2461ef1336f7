package worker

import (
	"context"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"rcm/activities"
	"rcm/workflows"
)

// Options tunes the worker. Zero values keep the SDK's defaults.
type Options struct {
	// TaskQueue is the queue to poll; empty means workflows.TaskQueue. The
	// operations must start workflows on the same queue.
	TaskQueue string
	// MaxConcurrentActivities bounds activities running at once in this
	// process (waves, acknowledgements). Waves are long; submissions' loops
	// are short and many.
	MaxConcurrentActivities int
	// MaxConcurrentWorkflowTasks bounds workflow tasks at once.
	MaxConcurrentWorkflowTasks int
}

func (o Options) queue() string {
	if o.TaskQueue == "" {
		return workflows.TaskQueue
	}
	return o.TaskQueue
}

// RegisterWorkflows registers rcm's workflows under their names in
// package workflows. The replay tests register through it too, so that a
// history is replayed against exactly what the worker runs.
func RegisterWorkflows(r sdkworker.WorkflowRegistry) {
	r.RegisterWorkflowWithOptions(workflows.CycleWorkflow, workflow.RegisterOptions{Name: workflows.CycleWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.SubmissionWorkflow, workflow.RegisterOptions{Name: workflows.SubmissionWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.ScheduledLaunchWorkflow, workflow.RegisterOptions{Name: workflows.ScheduledLaunchWorkflowName})
}

// RegisterActivities registers every method of acts as an activity under
// its method name, the name workflows call it by (they call the methods as
// method values).
func RegisterActivities(r sdkworker.ActivityRegistry, acts *activities.Activities) {
	r.RegisterActivity(acts)
}

// stopTimeout is how long a stopping worker waits for its activities. A wave
// hands its attempt back between two messages once the worker stops
// (package activities), and Temporal retries it at once on another worker
// from its last heartbeat; without the wait the SDK cancels every activity
// at once, a send in progress becomes a message of unknown outcome, and the
// attempt's failure, which the closing client can no longer report, is only
// noticed at its heartbeat timeout.
const stopTimeout = 10 * time.Second

// New builds a worker on rcm's task queue with everything registered.
func New(c client.Client, acts *activities.Activities, opts Options) sdkworker.Worker {
	w := sdkworker.New(c, opts.queue(), sdkworker.Options{
		MaxConcurrentActivityExecutionSize:     opts.MaxConcurrentActivities,
		MaxConcurrentWorkflowTaskExecutionSize: opts.MaxConcurrentWorkflowTasks,
		WorkerStopTimeout:                      stopTimeout,
	})
	RegisterWorkflows(w)
	RegisterActivities(w, acts)
	return w
}

// Run runs a worker until ctx ends.
func Run(ctx context.Context, c client.Client, acts *activities.Activities, opts Options) error {
	w := New(c, acts, opts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker on task queue %s: %w", opts.queue(), err)
	}
	<-ctx.Done()
	w.Stop()
	return nil
}

// EnsureSearchAttributes registers rcm's custom search attributes in the
// namespace if they are missing, so Temporal's UI can find a cycle's
// workflows. It is harmless to call at every start.
func EnsureSearchAttributes(ctx context.Context, c client.Client, namespace string) error {
	ops := c.OperatorService()
	have, err := ops.ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("list search attributes of namespace %s: %w", namespace, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for _, name := range workflows.SearchAttributeNames() {
		if _, ok := have.GetCustomAttributes()[name]; !ok {
			missing[name] = enumspb.INDEXED_VALUE_TYPE_KEYWORD
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := ops.AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing,
	}); err != nil {
		return fmt.Errorf("add search attributes to namespace %s: %w", namespace, err)
	}
	return nil
}
