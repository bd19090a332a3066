using Ml.Transforms.Training;
using OxyPlot;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;
using OxyPlot.SkiaSharp;

namespace TrafficSigns.Reporting;

/// <summary>Plots with OxyPlot (SkiaSharp renderer), saved atomically as PNG.</summary>
internal static class Charts
{
    public static void TrainingCurves(IReadOnlyList<EpochMetrics> history, string path)
    {
        var model = new PlotModel { Title = "Training", Background = OxyColors.White };
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.RightMiddle });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Bottom, Title = "epoch", Minimum = 1 });
        model.Axes.Add(new LinearAxis { Position = AxisPosition.Left, Title = "loss / accuracy", Minimum = 0 });
        model.Series.Add(Line("training loss", history.Select(m => (m.Epoch, m.Loss))));
        model.Series.Add(Line("training accuracy", history.Select(m => (m.Epoch, m.TrainingAccuracy ?? double.NaN))));
        if (history.All(m => m.ValidationAccuracy is not null))
            model.Series.Add(Line("validation accuracy", history.Select(m => (m.Epoch, m.ValidationAccuracy!.Value))));
        Save(model, path, 800, 500);
    }

    public static LineSeries Line(string title, IEnumerable<(int X, double Y)> points)
    {
        var series = new LineSeries { Title = title, MarkerType = MarkerType.Circle };
        series.Points.AddRange(points.Select(p => new DataPoint(p.X, p.Y)));
        return series;
    }

    public static void Save(PlotModel model, string path, int width, int height)
    {
        AtomicFile.Write(path, stream => new PngExporter { Width = width, Height = height }.Export(model, stream));
    }
}
