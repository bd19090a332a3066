using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Ml.Transforms.Tests.Estimators;

/// <summary>IDataViews of pixel vectors (C×H×W floats, channel-major) for the estimator tests, and back.</summary>
internal static class PixelData
{
    /// <summary>An IDataView with a float-vector column "Pixels" (and "Warp" when given) from (N, C, H, W) images.</summary>
    public static IDataView From(MLContext ml, Tensor images, Tensor? warps = null)
    {
        long n = images.shape[0], size = images.shape[1] * images.shape[2] * images.shape[3];
        var data = n == 0 ? [] : images.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        var warpData = warps?.to(ScalarType.Float32).contiguous().data<float>().ToArray();
        int p = warps is null ? 1 : (int)warps.shape[1];
        var builder = new DataViewSchema.Builder();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, (int)size);
        definition[nameof(Row.Warp)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, p);
        var rows = Enumerable.Range(0, (int)n).Select(i => new Row
        {
            Pixels = data.AsSpan((int)(i * size), (int)size).ToArray(),
            Warp = warpData is null ? [0f] : warpData.AsSpan(i * p, p).ToArray(),
        }).ToList();
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    /// <summary>The float-vector column as (N, C, H, W).</summary>
    public static Tensor Read(IDataView data, string column, int channels, int height, int width)
    {
        var rows = data.GetColumn<float[]>(column).ToList();
        return tensor(rows.SelectMany(r => r).ToArray(), [rows.Count, channels, height, width]);
    }

    internal sealed class Row
    {
        public float[] Pixels { get; set; } = [];
        public float[] Warp { get; set; } = [];
    }
}
