//go:build unix

package devstack

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
)

// clusterUser is who runs a private cluster: us, or the postgres user when
// we are root (initdb and postgres refuse to run as root).
type clusterUser struct {
	credential *syscall.Credential // nil: run as ourselves
	name       string
}

// clusterOwner decides who runs a private cluster under dataDir and checks
// that this user can reach the folder. It creates the folders above
// dataDir (world-readable) if they are missing.
func clusterOwner(dataDir string) (clusterUser, error) {
	if os.Geteuid() != 0 {
		return clusterUser{}, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return clusterUser{}, fmt.Errorf("rcm runs as root, and initdb and postgres refuse to run as root; "+
			"there is no `postgres` user to run them as (%v).\n"+
			"Fix: run rcm as a normal user, create a postgres system user (installing the postgresql package does), "+
			"or give the URL of a server with --database-url", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return clusterUser{}, fmt.Errorf("user postgres has uid %q, gid %q: not numbers", u.Uid, u.Gid)
	}
	gids := []uint32{uint32(gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, id := range ids {
			if n, err := strconv.ParseUint(id, 10, 32); err == nil {
				gids = append(gids, uint32(n))
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(dataDir), 0o755); err != nil {
		return clusterUser{}, err
	}
	for dir := filepath.Dir(dataDir); ; dir = filepath.Dir(dir) {
		info, err := os.Stat(dir)
		if err != nil {
			return clusterUser{}, err
		}
		if !canEnter(info, uint32(uid), gids) {
			return clusterUser{}, fmt.Errorf("rcm runs as root, so the private cluster runs as user postgres "+
				"(initdb and postgres refuse root), but postgres cannot enter %s (mode %04o).\n"+
				"Fix: choose a data folder postgres can reach (e.g. under /var/tmp), allow it in (chmod o+x %s), "+
				"run rcm as a normal user, or give the URL of a server with --database-url",
				dir, uint32(info.Mode().Perm()), dir)
		}
		if dir == filepath.Dir(dir) {
			break
		}
	}
	return clusterUser{
		credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)},
		name:       "postgres",
	}, nil
}

// canEnter reports whether a user may traverse the folder described by info.
func canEnter(info fs.FileInfo, uid uint32, gids []uint32) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return true // cannot tell; initdb will say
	}
	perm := info.Mode().Perm()
	switch {
	case st.Uid == uid:
		return perm&0o100 != 0
	case slices.Contains(gids, st.Gid):
		return perm&0o010 != 0
	default:
		return perm&0o001 != 0
	}
}

// apply makes a child run as c.
func (c clusterUser) apply(attr *syscall.SysProcAttr) {
	if c.credential != nil {
		attr.Credential = c.credential
	}
}

// own hands everything under dir to the cluster's user.
func (c clusterUser) own(dir string) error {
	if c.credential == nil {
		return nil
	}
	uid, gid := int(c.credential.Uid), int(c.credential.Gid)
	return filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := os.Lchown(path, uid, gid); err != nil {
			return fmt.Errorf("hand %s to user %s: %w", path, c.name, err)
		}
		return nil
	})
}
