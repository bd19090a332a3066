using OxyPlot;
using OxyPlot.SkiaSharp;
using SkiaSharp;

namespace TrafficSigns.Experiments.GtsrbTable;

/// <summary>Several OxyPlot charts side by side in one PNG (OxyPlot has no subplot grid): each is rendered, then tiled with SkiaSharp.</summary>
internal static class ChartPanels
{
    public static void Save(IReadOnlyList<PlotModel> panels, string path, int panelWidth, int panelHeight, int columns)
    {
        columns = Math.Clamp(columns, 1, Math.Max(1, panels.Count));
        int rows = (panels.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(columns * panelWidth, rows * panelHeight));
        surface.Canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            using var png = new MemoryStream();
            new PngExporter { Width = panelWidth, Height = panelHeight }.Export(panels[i], png);
            png.Position = 0;
            using var bitmap = SKBitmap.Decode(png);
            surface.Canvas.DrawBitmap(bitmap, i % columns * panelWidth, i / columns * panelHeight);
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, data.SaveTo);
    }
}
