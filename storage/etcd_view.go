package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// View implements Engine: fn reads at one revision, the current one or,
// while a chunked batch is being written, the one just before it began.
func (e *Etcd) View(ctx context.Context, fn func(Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rev, err := e.snapshotRev(ctx)
	if err != nil {
		return err
	}
	return fn(etcdReader{e: e, ctx: ctx, rev: rev})
}

// snapshotRev is the revision that shows every committed batch and no part
// of an uncommitted one.
func (e *Etcd) snapshotRev(ctx context.Context) (int64, error) {
	resp, err := e.client.Get(ctx, e.pendingKey())
	if err != nil {
		return 0, fmt.Errorf("storage: etcd: snapshot: %w", e.closed(err))
	}
	return snapshotRev(resp.Header.Revision, resp.Kvs), nil
}

// snapshotRev: at revision now, with the pending marker kvs (none or one).
func snapshotRev(now int64, pending []*mvccKV) int64 {
	if len(pending) == 0 {
		return now
	}
	return pending[0].CreateRevision - 1
}

type etcdReader struct {
	e   *Etcd
	ctx context.Context
	rev int64
}

func (r etcdReader) readErr(what string, err error) error {
	if errors.Is(err, rpctypes.ErrCompacted) {
		return fmt.Errorf("storage: etcd: %s: the snapshot at revision %d was compacted away under this read (a batch interrupted before it must be repaired by the next write): %w", what, r.rev, err)
	}
	return fmt.Errorf("storage: etcd: %s: %w", what, r.e.closed(err))
}

func (r etcdReader) Get(table string, key []byte) ([]byte, error) {
	tp, err := r.e.tablePrefix(table)
	if err != nil {
		return nil, err
	}
	resp, err := r.e.client.Get(r.ctx, tp+string(key), clientv3.WithRev(r.rev))
	if err != nil {
		return nil, r.readErr("get "+table, err)
	}
	if len(resp.Kvs) == 0 {
		return nil, nil
	}
	return owned(resp.Kvs[0].Value), nil
}

// GetMany reads the keys in transactions of read operations at the
// snapshot's revision, as many per transaction as the cluster allows.
func (r etcdReader) GetMany(table string, keys [][]byte) ([][]byte, error) {
	tp, err := r.e.tablePrefix(table)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(keys))
	for len(keys) > 0 {
		n := min(len(keys), r.e.limits.ops)
		ops := make([]clientv3.Op, n)
		for i, k := range keys[:n] {
			ops[i] = clientv3.OpGet(tp+string(k), clientv3.WithRev(r.rev))
		}
		resp, err := r.e.client.Txn(r.ctx).Then(ops...).Commit()
		if err != nil {
			return nil, r.readErr("get many "+table, err)
		}
		for _, rp := range resp.Responses {
			var v []byte
			if kv := rp.GetResponseRange().GetKvs(); len(kv) > 0 {
				v = owned(kv[0].Value)
			}
			out = append(out, v)
		}
		keys = keys[n:]
	}
	return out, nil
}

// Scan reads forward with a limit, which etcd stops at. etcd has no reverse
// cursor: a descending range reads the whole range before it sorts and cuts
// it, values included. So a reverse scan asks for keys only (etcd then reads
// its in-memory index, not the disk), and then reads the values of the last
// Limit keys forward.
func (r etcdReader) Scan(table string, rg Range) ([]KV, error) {
	tp, err := r.e.tablePrefix(table)
	if err != nil {
		return nil, err
	}
	lo, hi := r.e.scanBounds(tp, rg)
	n := int64(rg.limit())
	if !rg.Reverse {
		resp, err := r.e.client.Get(r.ctx, lo, clientv3.WithRange(hi), clientv3.WithLimit(n), clientv3.WithRev(r.rev))
		if err != nil {
			return nil, r.readErr("scan "+table, err)
		}
		return kvs(resp.Kvs, len(tp), false), nil
	}
	keys, err := r.e.client.Get(r.ctx, lo, clientv3.WithRange(hi), clientv3.WithLimit(n), clientv3.WithRev(r.rev),
		clientv3.WithKeysOnly(), clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend))
	if err != nil {
		return nil, r.readErr("scan "+table, err)
	}
	if len(keys.Kvs) == 0 {
		return nil, nil
	}
	least := string(keys.Kvs[len(keys.Kvs)-1].Key)
	resp, err := r.e.client.Get(r.ctx, least, clientv3.WithRange(hi), clientv3.WithLimit(n), clientv3.WithRev(r.rev))
	if err != nil {
		return nil, r.readErr("scan "+table, err)
	}
	return kvs(resp.Kvs, len(tp), true), nil
}

// scanBounds is rg inside table prefix tp as etcd keys [lo, hi).
func (e *Etcd) scanBounds(tp string, rg Range) (lo, hi string) {
	l, h := rg.bounds()
	lo = tp + string(l)
	if h == nil { // the range reaches the table's end
		return lo, string(keyEnd([]byte(tp)))
	}
	return lo, tp + string(h)
}

func kvs(in []*mvccKV, strip int, reverse bool) []KV {
	out := make([]KV, 0, len(in))
	for _, kv := range in {
		out = append(out, KV{Key: kv.Key[strip:], Value: owned(kv.Value)})
	}
	if reverse {
		slices.Reverse(out)
	}
	return out
}

// owned is v as a non-nil slice (etcd returns an empty value as nil, and an
// empty value is not an absent key).
func owned(v []byte) []byte {
	if v == nil {
		return []byte{}
	}
	return v
}

type mvccKV = mvccpb.KeyValue
