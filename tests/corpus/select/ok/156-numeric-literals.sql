SELECT 42, -17, 3.14159, -0.5, 1e10, 2.5e-3, 0x1F, 0xff, inf, -inf, nan
