import streamlit as st
st.title('units')
