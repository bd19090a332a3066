Console.WriteLine("TrafficSigns");
