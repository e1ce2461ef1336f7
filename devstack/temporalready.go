package devstack

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/durationpb"
)

// readinessStep is one thing to wait for.
type readinessStep struct {
	what  string
	check func(context.Context) error
}

// waitFirstService waits until the service started first (the frontend)
// has written or updated the cluster's metadata in the main database, and
// only then lets devstack start the others: every service writes it at
// start (a fresh database) or updates its version (a restart), and two at
// once cannot (the second dies on a duplicate key, or on "SaveClusterMetadata
// encountered version mismatch"). The metadata row is written before the
// service listens, so the frontend's port accepting connections says it is
// done, on a fresh database and on a restart alike.
func (c *TemporalCluster) waitFirstService(ctx context.Context, mainDatabaseURL string) error {
	return c.waitFor(ctx, readinessStep{"the cluster's metadata in " + RedactURL(mainDatabaseURL), func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, mainDatabaseURL)
		if err != nil {
			return err
		}
		defer conn.Close(context.WithoutCancel(ctx))
		var written bool
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM cluster_metadata_info)").Scan(&written); err != nil {
			return err
		}
		if !written {
			return errors.New("not written yet")
		}
		return nil
	}}, readinessStep{"the frontend listening at " + c.address, listening(c.address)})
}

// waitReady waits until every service answers and the namespace is
// registered with its search attributes.
func (c *TemporalCluster) waitReady(ctx context.Context, o TemporalClusterOptions) error {
	return c.waitFor(ctx,
		readinessStep{"the history service's health check at " + hostPort(o.Ports.History),
			grpcServing(hostPort(o.Ports.History), "temporal.api.workflowservice.v1.HistoryService")},
		readinessStep{"the matching service's health check at " + hostPort(o.Ports.Matching),
			grpcServing(hostPort(o.Ports.Matching), "temporal.api.workflowservice.v1.MatchingService")},
		readinessStep{"the worker service's membership port " + hostPort(o.Ports.WorkerMembership),
			listening(hostPort(o.Ports.WorkerMembership))},
		readinessStep{"the frontend's health check at " + c.address,
			grpcServing(c.address, "temporal.api.workflowservice.v1.WorkflowService")},
		readinessStep{"registering namespace " + o.Namespace + " and its search attributes at " + c.address,
			func(ctx context.Context) error {
				return registerNamespace(ctx, c.address, o.Namespace, o.SearchAttributes)
			}},
	)
}

// waitFor runs each step's check until it succeeds, in order, within
// temporalClusterReadyTimeout, failing at once if a service exits.
func (c *TemporalCluster) waitFor(ctx context.Context, steps ...readinessStep) error {
	ctx, cancel := context.WithTimeout(ctx, temporalClusterReadyTimeout)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for _, step := range steps {
		for {
			attempt, cancelAttempt := context.WithTimeout(ctx, 10*time.Second)
			err := step.check(attempt)
			cancelAttempt()
			if err == nil {
				break
			}
			var bad *badSearchAttributeError
			if errors.As(err, &bad) {
				return err
			}
			for i, p := range c.procs {
				select {
				case <-p.Done():
					return fmt.Errorf("the Temporal %s service exited (%v) before %s succeeded", c.names[i], p.err, step.what)
				default:
				}
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s did not succeed within %s: %v", step.what, temporalClusterReadyTimeout, err)
			case <-tick.C:
			}
		}
	}
	return nil
}

// healthCheck asks a gRPC health service about one service name.
func healthCheck(ctx context.Context, addr, service string) (healthpb.HealthCheckResponse_ServingStatus, error) {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	resp, err := healthpb.NewHealthClient(conn).Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	return resp.GetStatus(), err
}

// grpcServing checks that a gRPC health service reports one service name
// as serving.
func grpcServing(addr, service string) func(context.Context) error {
	return func(ctx context.Context) error {
		status, err := healthCheck(ctx, addr, service)
		if err != nil {
			return err
		}
		if status != healthpb.HealthCheckResponse_SERVING {
			return fmt.Errorf("%s is %s", service, status)
		}
		return nil
	}
}

// listening checks that something accepts TCP connections at addr.
func listening(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		var d net.Dialer
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return conn.Close()
	}
}

// badSearchAttributeError is a search attribute type that does not exist:
// no use waiting.
type badSearchAttributeError struct{ err error }

func (e *badSearchAttributeError) Error() string { return e.err.Error() }

// registerNamespace registers namespace unless it exists and adds the
// search attributes it lacks; it succeeds once the namespace has them all.
func registerNamespace(ctx context.Context, addr, namespace string, attributes map[string]string) error {
	types := map[string]enumspb.IndexedValueType{}
	for name, typ := range attributes {
		t, err := enumspb.IndexedValueTypeFromString(typ)
		if err != nil {
			return &badSearchAttributeError{fmt.Errorf("search attribute %s: type %q: %w", name, typ, err)}
		}
		types[name] = t
	}
	c, err := dialQuietly(ctx, addr, namespace)
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.WorkflowService().RegisterNamespace(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace:                        namespace,
		WorkflowExecutionRetentionPeriod: durationpb.New(TemporalNamespaceRetention),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("register namespace %s: %w", namespace, err)
	}
	have, err := c.OperatorService().ListSearchAttributes(ctx, &operatorservice.ListSearchAttributesRequest{Namespace: namespace})
	if err != nil {
		return fmt.Errorf("list search attributes of %s: %w", namespace, err)
	}
	missing := map[string]enumspb.IndexedValueType{}
	for name, t := range types {
		got, ok := have.GetCustomAttributes()[name]
		switch {
		case !ok:
			missing[name] = t
		case got != t:
			return &badSearchAttributeError{fmt.Errorf("search attribute %s of namespace %s is %s, not %s", name, namespace, got, t)}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if _, err := c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: namespace, SearchAttributes: missing,
	}); err != nil {
		return fmt.Errorf("add search attributes to %s: %w", namespace, err)
	}
	return errors.New("search attributes added; checking that they are there")
}
