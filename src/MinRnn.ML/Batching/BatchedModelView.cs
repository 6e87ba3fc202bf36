using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Tokens;
using C = MinRnn.ML.Tokens.ComponentColumns;

namespace MinRnn.ML.Batching;

/// <summary>The model step of the component with several rows per ONNX Runtime call: the source's columns (the converted
/// tokens among them) plus the model's outputs under their graph names, typed as OnnxTransformer types them.</summary>
/// <remarks>A cursor reads ahead with a second cursor over the tokens only (same source, same order), fails a row with an
/// id outside the vocabulary as the chain's guard does, runs each
/// run of consecutive equal-length rows (up to the batch size) in one call, and serves the results as the main cursor
/// passes. No padding, so every row's outputs are those of a one-row call. One cursor at a time (no parallel set) and
/// no shuffling.</remarks>
internal sealed class BatchedModelView : IDataView
{
    private readonly IDataView source;
    private readonly BatchRunner runner;
    private readonly int batchSize;
    private readonly int vocab;

    public BatchedModelView(IDataView source, BatchRunner runner, IReadOnlyList<DataViewType> outputTypes, int batchSize, int vocab)
    {
        this.source = source;
        this.runner = runner;
        this.batchSize = batchSize;
        this.vocab = vocab;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(source.Schema);
        for (var o = 0; o < runner.Outputs.Count; o++) builder.AddColumn(runner.Outputs[o], outputTypes[o]);
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inner = source.GetRowCursor(needed.Where(c => c.Index < source.Schema.Count).Select(c => source.Schema[c.Index]));
        var active = needed.Where(c => c.Index >= source.Schema.Count).Select(c => c.Index - source.Schema.Count).ToHashSet();
        var lookahead = active.Count == 0 ? null : source.GetRowCursor([source.Schema[C.Tokens]]);
        return new Cursor(this, inner, lookahead, active);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(BatchedModelView parent, DataViewRowCursor inner, DataViewRowCursor? lookahead, HashSet<int> active) : DataViewRowCursor
    {
        private readonly int sourceColumns = parent.source.Schema.Count;
        private readonly ValueGetter<VBuffer<long>>? tokens = lookahead?.GetGetter<VBuffer<long>>(parent.source.Schema[C.Tokens]);
        private Array[][] batch = [];   // [output][row in batch]
        private long batchStart;
        private int batchRows;
        private long[]? pending;        // read ahead, but of another length than the batch it ended
        private VBuffer<long> buffer;

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < sourceColumns ? inner.IsColumnActive(parent.source.Schema[column.Index]) : active.Contains(column.Index - sourceColumns);

        public override bool MoveNext()
        {
            if (!inner.MoveNext()) return false;
            if (lookahead is not null && inner.Position >= batchStart + batchRows) Fill();
            return true;
        }

        /// <summary>Reads the next run of equal-length rows (at most the batch size), starting at the main cursor's row,
        /// and runs it. A row of another length that ends the run waits in <see cref="pending"/> for the next batch.</summary>
        private void Fill()
        {
            batchStart = inner.Position;
            var rows = new List<long[]>();
            while (rows.Count < parent.batchSize)
            {
                var row = pending ?? Next();
                pending = null;
                if (row is null) break;
                if (rows.Count > 0 && row.Length != rows[0].Length) { pending = row; break; }
                rows.Add(row);
            }
            if (rows.Count == 0) throw new InvalidOperationException("MinRnn: the read-ahead cursor ended before the main cursor");
            batchRows = rows.Count;
            batch = parent.runner.Run([.. rows]);
        }

        /// <summary>The next row's ids from the read-ahead cursor (null at the end), checked against the vocabulary.</summary>
        private long[]? Next()
        {
            if (!lookahead!.MoveNext()) return null;
            tokens!(ref buffer);
            var row = buffer.DenseValues().ToArray();
            for (var t = 0; t < row.Length; t++)
                if (row[t] < 0 || row[t] >= parent.vocab) throw TokenRules.OutsideVocabulary(row[t], t, parent.vocab);
            return row;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < sourceColumns) return inner.GetGetter<TValue>(parent.source.Schema[column.Index]);
            var output = column.Index - sourceColumns;
            Delegate getter = ((VectorDataViewType)column.Type).ItemType == NumberDataViewType.Int64 ? Getter<long>(output) : Getter<float>(output);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException($"MinRnn: column '{column.Name}' is read as {typeof(TValue)}, it is {column.Type}");
        }

        private ValueGetter<VBuffer<T>> Getter<T>(int output) => (ref VBuffer<T> dst) =>
        {
            var values = (T[])batch[output][inner.Position - batchStart];
            var editor = VBufferEditor.Create(ref dst, values.Length);
            values.CopyTo(editor.Values);
            dst = editor.Commit();
        };

        protected override void Dispose(bool disposing)
        {
            if (disposing) { inner.Dispose(); lookahead?.Dispose(); }
            base.Dispose(disposing);
        }
    }
}
