#pragma once
void squareOnDevice(float *host, int n);
