package storage

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc"
)

// Etcd is the engine for several replicas: every table lives under one key
// prefix of an etcd cluster, as keys <prefix><table>/<key>.
//
// A batch that fits one etcd transaction (MaxTxnOps operations, MaxTxnBytes
// bytes) is that transaction. A larger one is written in chunks of
// transactions: the first puts the marker <prefix>!pending (naming a lease
// the writer keeps alive), every chunk is guarded by that marker, and the
// last deletes it. Readers read at the current revision when no marker is
// there, and just below the marker's creation when one is, so a half-written
// batch is never seen. A writer that finds the marker of a dead writer (its
// lease expired) rolls the dead batch back from etcd's history first.
// Every committing transaction also puts <prefix>!commit, one key to watch
// for "something committed".
type Etcd struct {
	client *clientv3.Client
	owns   bool // Close closes client
	prefix string
	limits etcdLimits
	fence  *etcdFence
	// writer tells this engine's commits from other writers' (random,
	// made at open; fenced copies share it).
	writer string
	// chunkHook, when set (tests only), runs after each chunk of a chunked
	// batch lands; an error from it stops the batch there as a crash would.
	chunkHook func(chunk int) error
}

var _ Engine = (*Etcd)(nil)

// EtcdConfig says where the cluster is and how to talk to it.
type EtcdConfig struct {
	Endpoints []string
	// Prefix is the key prefix every key of this store begins with (default
	// "/nashra/"), so that several deployments can share a cluster.
	Prefix             string
	Username, Password string
	// CertFile/KeyFile are a client certificate, TrustedCAFile the CA that
	// signed the members' certificates; any of them set turns TLS on.
	CertFile, KeyFile, TrustedCAFile string
	// DialTimeout bounds connecting and the first request (default 5 s).
	DialTimeout time.Duration
	// RequestTimeout bounds each request made without a deadline of its
	// own (default 5 s): a replica cut off from the cluster gets an error
	// it can serve around, instead of waiting for the cluster's return.
	RequestTimeout time.Duration
	// Observe, when set, is told of every request to the cluster (streams
	// aside): its method ("Range", "Txn", "LeaseGrant"…), how long it
	// took and how it ended.
	Observe func(method string, took time.Duration, err error)
	// MaxTxnOps and MaxTxnBytes are the cluster's limits on one transaction
	// (etcd's --max-txn-ops, default 128, and --max-request-bytes, default
	// 1.5 MiB): larger batches are written in chunks.
	MaxTxnOps   int
	MaxTxnBytes int
}

// Defaults of EtcdConfig.
const (
	DefaultEtcdPrefix      = "/nashra/"
	DefaultEtcdDialTimeout = 5 * time.Second
	DefaultEtcdRequest     = 5 * time.Second
	DefaultEtcdMaxTxnOps   = 128
	DefaultEtcdMaxTxnBytes = 1536 * 1024
)

type etcdLimits struct{ ops, bytes int }

// etcdFence is a key whose creation revision every write compares.
type etcdFence struct {
	key string
	rev int64
}

// ErrFenced is returned by Apply on an engine made by WithFence once the
// fence key is gone or was created again: the writer lost its leadership.
var ErrFenced = errors.New("storage: the fence of this writer is gone (leadership lost): nothing written")

// OpenEtcd connects to the cluster cfg names and checks the store under its
// prefix: it marks an empty prefix as a store, refuses a prefix that holds
// keys but is not one, and rolls back a batch a dead writer left half-written.
func OpenEtcd(cfg EtcdConfig) (*Etcd, error) {
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultEtcdPrefix
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = DefaultEtcdDialTimeout
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultEtcdRequest
	}
	lim := etcdLimits{ops: cfg.MaxTxnOps, bytes: cfg.MaxTxnBytes}
	if lim.ops <= 0 {
		lim.ops = DefaultEtcdMaxTxnOps
	}
	if lim.bytes <= 0 {
		lim.bytes = DefaultEtcdMaxTxnBytes
	}
	if lim.ops < 4 {
		return nil, fmt.Errorf("storage: etcd: max txn ops %d: at least 4 needed", lim.ops)
	}
	where := strings.Join(cfg.Endpoints, ",") + " prefix " + cfg.Prefix
	if len(cfg.Endpoints) == 0 {
		return nil, errors.New("storage: etcd: no endpoints")
	}
	ccfg := clientv3.Config{
		Endpoints:   cfg.Endpoints,
		DialTimeout: cfg.DialTimeout,
		Username:    cfg.Username,
		Password:    cfg.Password,
		Logger:      zap.NewNop(), // errors come back to the caller, wrapped
		// a whole transaction plus gRPC framing
		MaxCallSendMsgSize: lim.bytes + 512*1024,
	}
	if cfg.Observe != nil {
		ccfg.DialOptions = []grpc.DialOption{grpc.WithChainUnaryInterceptor(observeInterceptor(cfg.Observe))}
	}
	if cfg.CertFile != "" || cfg.KeyFile != "" || cfg.TrustedCAFile != "" {
		tlsInfo := transport.TLSInfo{CertFile: cfg.CertFile, KeyFile: cfg.KeyFile, TrustedCAFile: cfg.TrustedCAFile}
		tc, err := tlsInfo.ClientConfig()
		if err != nil {
			return nil, fmt.Errorf("storage: etcd %s: tls: %w", where, err)
		}
		ccfg.TLS = tc
	} else if slices.ContainsFunc(cfg.Endpoints, func(e string) bool { return strings.HasPrefix(e, "https://") }) {
		ccfg.TLS = &tls.Config{MinVersion: tls.VersionTLS12} // the system's roots
	}
	cli, err := clientv3.New(ccfg)
	if err != nil {
		return nil, fmt.Errorf("storage: etcd %s: connect: %w", where, err)
	}
	cli.KV = timedKV{cli.KV, cfg.RequestTimeout}
	cli.Lease = timedLease{cli.Lease, cfg.RequestTimeout}
	e := &Etcd{client: cli, owns: true, prefix: cfg.Prefix, limits: lim, writer: rand.Text()[:16]}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.DialTimeout)
	defer cancel()
	if err := e.init(ctx); err != nil {
		cli.Close()
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("storage: etcd %s: no etcd member answered within the dial timeout (%s): is etcd running there, and are these its client URLs? (%w)", where, cfg.DialTimeout, err)
		}
		return nil, fmt.Errorf("storage: etcd %s: %w", where, err)
	}
	return e, nil
}

// init marks an empty prefix as a store and repairs a dead writer's batch.
func (e *Etcd) init(ctx context.Context) error {
	if err := e.refuseNested(ctx); err != nil {
		return err
	}
	resp, err := e.client.Txn(ctx).
		If(clientv3.Compare(clientv3.CreateRevision(e.commitKey()), "=", 0),
			clientv3.Compare(clientv3.CreateRevision(e.prefix), "=", 0).WithPrefix()).
		Then(clientv3.OpPut(e.commitKey(), "")).
		Else(clientv3.OpGet(e.commitKey(), clientv3.WithKeysOnly()),
			clientv3.OpGet(e.prefix, clientv3.WithPrefix(), clientv3.WithKeysOnly(), clientv3.WithLimit(1))).
		Commit()
	if err != nil {
		return fmt.Errorf("check the prefix: %w", err)
	}
	if !resp.Succeeded && len(resp.Responses[0].GetResponseRange().Kvs) == 0 {
		k := resp.Responses[1].GetResponseRange().Kvs[0].Key
		return fmt.Errorf("the prefix holds keys (%q) but no %q: not a nashra store; choose another prefix", k, e.commitKey())
	}
	return e.repairIfDead(ctx)
}

// WithFence returns an engine on the same connection whose every write also
// requires key to exist with creation revision rev (an election's leader key
// and its revision), failing with ErrFenced otherwise: a writer that lost its
// leadership writes nothing. Closing it does not close e's connection.
func (e *Etcd) WithFence(key string, rev int64) *Etcd {
	f := *e
	f.owns = false
	f.fence = &etcdFence{key: key, rev: rev}
	return &f
}

// Remote reports that every read is a round trip to the cluster: readers
// that know many keys ahead use GetMany.
func (e *Etcd) Remote() bool { return true }

// Client is the engine's etcd client, for what the engine does not do
// (elections, watches); it is closed with the engine.
func (e *Etcd) Client() *clientv3.Client { return e.client }

// Close implements Engine.
func (e *Etcd) Close() error {
	if !e.owns {
		return nil
	}
	if err := e.client.Close(); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("storage: etcd: close: %w", err)
	}
	return nil
}

func (e *Etcd) commitKey() string { return e.prefix + "!commit" }

// CommitKey is the key every committed batch puts, valued with the time it
// was committed at (the writer's clock): one key to watch.
func (e *Etcd) CommitKey() string  { return e.commitKey() }
func (e *Etcd) pendingKey() string { return e.prefix + "!pending" }

// tablePrefix is where table's keys live; table names may not contain "/"
// (it ends the name) nor begin with "!" (the engine's own keys).
func (e *Etcd) tablePrefix(table string) (string, error) {
	if table == "" || strings.Contains(table, "/") || strings.HasPrefix(table, "!") {
		return "", fmt.Errorf("storage: etcd: table name %q: must be non-empty, without '/' and not begin with '!'", table)
	}
	return e.prefix + table + "/", nil
}

// closed reports ErrClosed for err when the engine was closed under it.
func (e *Etcd) closed(err error) error {
	if err != nil && e.client.Ctx().Err() != nil {
		return fmt.Errorf("%w (%v)", ErrClosed, err)
	}
	return err
}

// refuseNested refuses a prefix that lies inside another deployment's
// (a "/nashra/" store beside "/nashra/test/"): the outer one's writes, and
// the roll-back of a batch its dead writer left, would take the inner
// one's keys for its own. Each shorter prefix ending in "/" is asked for
// its commit key; one a user may not read (etcd auth, a grant of this
// prefix only) is not another deployment of this user's, and is passed.
func (e *Etcd) refuseNested(ctx context.Context) error {
	for i := 0; i < len(e.prefix)-1; i++ {
		if e.prefix[i] != '/' {
			continue
		}
		outer := e.prefix[:i+1]
		resp, err := e.client.Get(ctx, outer+"!commit", clientv3.WithKeysOnly())
		if errors.Is(err, rpctypes.ErrPermissionDenied) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check the prefixes around it: %w", err)
		}
		if len(resp.Kvs) > 0 {
			return fmt.Errorf("the prefix lies inside the nashra store at %q: one deployment would take the other's keys for its own; choose a prefix beside it, not in it (/nashra-test/ beside /nashra/)", outer)
		}
	}
	return nil
}
