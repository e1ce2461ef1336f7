package devstack

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// forgetGoneMembers deletes from the cluster's main database the membership
// rows of services that no longer listen: those of a cluster stopped a
// moment ago. A Temporal service seeds its membership ring with every
// member heard from in the last 20 s, and one whose seeds are all gone
// waits 30 s (maxJoinDuration) before it looks again: a restart took 45 s
// instead of 9. A member that still answers is left alone.
func forgetGoneMembers(ctx context.Context, mainDatabaseURL string) error {
	conn, err := pgx.Connect(ctx, mainDatabaseURL)
	if err != nil {
		return fmt.Errorf("forget the members of an earlier run: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	type member struct {
		partition int32
		hostID    []byte
		addr      string
	}
	rows, err := conn.Query(ctx, "SELECT membership_partition, host_id, rpc_address, rpc_port FROM cluster_membership")
	if err != nil {
		return fmt.Errorf("forget the members of an earlier run: %w", err)
	}
	members, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (member, error) {
		var m member
		var host string
		var port int16
		err := r.Scan(&m.partition, &m.hostID, &host, &port)
		m.addr = net.JoinHostPort(host, strconv.Itoa(int(port)))
		return m, err
	})
	if err != nil {
		return fmt.Errorf("forget the members of an earlier run: %w", err)
	}
	for _, m := range members {
		d := net.Dialer{Timeout: 300 * time.Millisecond}
		if c, err := d.DialContext(ctx, "tcp", m.addr); err == nil {
			_ = c.Close()
			continue
		}
		if _, err := conn.Exec(ctx, "DELETE FROM cluster_membership WHERE membership_partition = $1 AND host_id = $2", m.partition, m.hostID); err != nil {
			return fmt.Errorf("forget member %s of an earlier run: %w", m.addr, err)
		}
	}
	return nil
}
