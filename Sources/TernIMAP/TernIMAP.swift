// TernIMAP
