namespace TrafficSigns.Experiments.Gtsrb;

/// <summary>
/// Region of interest of a GTSRB annotation (columns <c>Roi.X1;Roi.Y1;Roi.X2;Roi.Y2</c>): the sign's bounding box
/// inside the crop, in pixels of the original crop, corners inclusive as in the official annotations.
/// </summary>
/// <param name="X1">Left column.</param>
/// <param name="Y1">Top row.</param>
/// <param name="X2">Right column.</param>
/// <param name="Y2">Bottom row.</param>
internal readonly record struct GtsrbRoi(int X1, int Y1, int X2, int Y2);
