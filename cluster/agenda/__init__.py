"""Agendas built from the schools' proposals: propose, support, time-box, publish, carry over;
minutes per item."""
