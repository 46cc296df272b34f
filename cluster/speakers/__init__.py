"""Guest speakers: the organisation's directory and bookings of speakers into meetings."""
